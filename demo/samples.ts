// Sample input: a query and documents on mixed topics, so a real cross-encoder's ranking is easy to judge.

export const SAMPLE_QUERY = 'How do plants turn sunlight into energy?'

export const SAMPLE_DOCUMENTS = [
  'The Eiffel Tower was completed in 1889 for the World Fair in Paris.',
  'Photosynthesis converts light energy into chemical energy stored in glucose.',
  'A sourdough starter is a fermented mix of flour and water that leavens bread.',
  'Chlorophyll in the leaves absorbs mostly red and blue light and reflects green.',
  'The Great Barrier Reef is the largest coral reef system on Earth.',
  'Solar panels use photovoltaic cells to turn sunlight into electricity.',
  'In chess, castling moves the king two squares towards a rook.',
  'Plants take in carbon dioxide through small pores called stomata.',
]
