// A small built-in corpus for corpus mode: short passages on varied topics, several per topic,
// so BM25 finds a handful of candidates for most queries and the reranker has something to reorder.

export interface SampleDocument {
  id: string
  title: string
  text: string
}

export const SAMPLE_CORPUS: readonly SampleDocument[] = [
  // Plants and biology
  {
    id: 'photosynthesis',
    title: 'Photosynthesis',
    text: 'Plants use sunlight, water and carbon dioxide to make glucose and release oxygen.',
  },
  {
    id: 'chlorophyll',
    title: 'Chlorophyll',
    text: 'Chlorophyll absorbs red and blue light and reflects green, which is why leaves look green.',
  },
  {
    id: 'stomata',
    title: 'Stomata',
    text: 'Small pores on the underside of leaves open to take in carbon dioxide and let water vapour out.',
  },
  {
    id: 'roots',
    title: 'Roots',
    text: 'Roots anchor a plant in the soil and absorb water and dissolved minerals such as nitrogen.',
  },
  {
    id: 'pollination',
    title: 'Pollination',
    text: 'Bees carry pollen from flower to flower, fertilising plants so they can set fruit and seeds.',
  },
  {
    id: 'dna',
    title: 'DNA',
    text: 'DNA is a double helix of two strands whose base pairs encode the instructions for building proteins.',
  },
  {
    id: 'vaccines',
    title: 'Vaccines',
    text: 'A vaccine trains the immune system to recognise a pathogen without causing the disease itself.',
  },
  {
    id: 'sleep',
    title: 'Sleep',
    text: 'Adults need seven to nine hours of sleep; deep sleep helps the brain consolidate memories.',
  },

  // Earth and space
  {
    id: 'volcano',
    title: 'Volcanoes',
    text: 'Magma rises through cracks in the crust and erupts from a volcano as lava, ash and gas.',
  },
  {
    id: 'earthquake',
    title: 'Earthquakes',
    text: 'Earthquakes happen when tectonic plates slip along a fault and release stored energy as seismic waves.',
  },
  {
    id: 'tides',
    title: 'Tides',
    text: "The Moon's gravity pulls on the oceans, raising two tidal bulges that give most coasts two high tides a day.",
  },
  {
    id: 'seasons',
    title: 'Seasons',
    text: "Earth's axis is tilted by about 23 degrees, so each hemisphere gets more direct sunlight in its summer.",
  },
  {
    id: 'black-hole',
    title: 'Black holes',
    text: 'A black hole is a region where gravity is so strong that not even light can escape its event horizon.',
  },
  {
    id: 'mars',
    title: 'Mars',
    text: 'Mars is a cold desert planet with the tallest volcano in the solar system, Olympus Mons.',
  },
  {
    id: 'rainbow',
    title: 'Rainbows',
    text: 'Raindrops refract and reflect sunlight, splitting white light into a band of colours.',
  },
  {
    id: 'coral',
    title: 'Coral reefs',
    text: 'The Great Barrier Reef is the largest coral reef system on Earth and is threatened by warming seas.',
  },

  // Food and cooking
  {
    id: 'sourdough',
    title: 'Sourdough',
    text: 'A sourdough starter is a fermented mix of flour and water whose wild yeast leavens bread.',
  },
  {
    id: 'maillard',
    title: 'Maillard reaction',
    text: 'Searing meat browns it through the Maillard reaction between amino acids and sugars.',
  },
  {
    id: 'espresso',
    title: 'Espresso',
    text: 'Espresso forces hot water through finely ground coffee at about nine bars of pressure.',
  },
  {
    id: 'pasta',
    title: 'Cooking pasta',
    text: 'Boil pasta in plenty of salted water and save a cup of the starchy water to loosen the sauce.',
  },
  {
    id: 'kimchi',
    title: 'Kimchi',
    text: 'Kimchi is napa cabbage fermented with chilli, garlic and ginger by lactic acid bacteria.',
  },
  {
    id: 'tea',
    title: 'Tea',
    text: 'Green and black tea come from the same plant; black tea leaves are oxidised before drying.',
  },

  // History and culture
  {
    id: 'eiffel',
    title: 'Eiffel Tower',
    text: 'The Eiffel Tower was completed in 1889 for the World Fair in Paris and was meant to be temporary.',
  },
  {
    id: 'printing',
    title: 'Printing press',
    text: "Gutenberg's printing press with movable type made books cheap in fifteenth-century Europe.",
  },
  {
    id: 'pyramids',
    title: 'Pyramids of Giza',
    text: 'The Great Pyramid of Giza was built as a tomb for the pharaoh Khufu around 2560 BC.',
  },
  {
    id: 'silk-road',
    title: 'Silk Road',
    text: 'The Silk Road was a network of trade routes carrying silk, spices and ideas between China and the Mediterranean.',
  },
  {
    id: 'moon-landing',
    title: 'Moon landing',
    text: 'In July 1969 Apollo 11 landed on the Moon and Neil Armstrong took the first steps on its surface.',
  },
  {
    id: 'olympics',
    title: 'Olympic Games',
    text: 'The modern Olympic Games began in Athens in 1896, inspired by the ancient games at Olympia.',
  },

  // Sport and games
  {
    id: 'chess-castling',
    title: 'Castling',
    text: 'In chess, castling moves the king two squares towards a rook, which jumps to the other side of the king.',
  },
  {
    id: 'chess-opening',
    title: 'Chess openings',
    text: 'Good chess openings develop knights and bishops quickly and fight for control of the centre.',
  },
  {
    id: 'marathon',
    title: 'Marathon',
    text: 'A marathon is 42.195 kilometres; runners train by slowly building their weekly long run.',
  },
  {
    id: 'offside',
    title: 'Offside rule',
    text: 'In football a player is offside when nearer the goal line than the ball and the second-last defender.',
  },

  // Computing
  {
    id: 'bm25',
    title: 'BM25',
    text: 'BM25 ranks documents by how often the query terms occur, discounting common words and long documents.',
  },
  {
    id: 'cross-encoder',
    title: 'Cross-encoders',
    text: 'A cross-encoder reads the query and a document together and outputs one relevance score for the pair.',
  },
  {
    id: 'webgpu',
    title: 'WebGPU',
    text: 'WebGPU gives web pages access to the graphics card for rendering and general-purpose compute shaders.',
  },
  {
    id: 'wasm',
    title: 'WebAssembly',
    text: 'WebAssembly runs compiled code in the browser at near-native speed, with threads when the page is cross-origin isolated.',
  },
  {
    id: 'git',
    title: 'Git',
    text: 'Git records snapshots of a project as commits; branches are cheap pointers to commits.',
  },
  {
    id: 'passwords',
    title: 'Passwords',
    text: 'Store passwords as slow salted hashes such as bcrypt or Argon2, never in plain text.',
  },
  {
    id: 'dns',
    title: 'DNS',
    text: 'The Domain Name System translates names like example.com into the IP addresses computers use.',
  },
  {
    id: 'unicode',
    title: 'Unicode',
    text: 'UTF-8 encodes every Unicode character in one to four bytes and is backwards compatible with ASCII.',
  },

  // Health, money, travel and everyday life
  {
    id: 'exercise',
    title: 'Exercise',
    text: 'Regular aerobic exercise strengthens the heart and lowers blood pressure.',
  },
  {
    id: 'hydration',
    title: 'Hydration',
    text: 'Thirst, dark urine and headaches are early signs that the body needs more water.',
  },
  {
    id: 'compound-interest',
    title: 'Compound interest',
    text: 'Compound interest earns interest on past interest, so savings grow faster the longer they stay invested.',
  },
  {
    id: 'inflation',
    title: 'Inflation',
    text: 'Inflation is a general rise in prices that reduces what a unit of money can buy.',
  },
  {
    id: 'jet-lag',
    title: 'Jet lag',
    text: 'Jet lag fades faster if you get daylight at your destination and shift meal times before the flight.',
  },
  {
    id: 'bicycle',
    title: 'Bicycle maintenance',
    text: 'Keep a bicycle chain clean and lightly oiled, and check tyre pressure before every ride.',
  },
  {
    id: 'houseplants',
    title: 'Houseplants',
    text: 'Most houseplants die from overwatering; let the top of the soil dry out between waterings.',
  },
  {
    id: 'dogs',
    title: 'Dog training',
    text: 'Dogs learn fastest when good behaviour is rewarded immediately with a treat or praise.',
  },
  {
    id: 'languages',
    title: 'Learning languages',
    text: 'Spaced repetition helps you learn vocabulary in a new language by reviewing words just before you forget them.',
  },
  {
    id: 'solar-panels',
    title: 'Solar panels',
    text: 'Solar panels use photovoltaic cells to turn sunlight into electricity, even on cloudy days.',
  },
  {
    id: 'heat-pump',
    title: 'Heat pumps',
    text: 'A heat pump moves heat from outside air into a house and uses far less electricity than a heater.',
  },
  {
    id: 'recycling',
    title: 'Recycling',
    text: 'Rinse food containers before recycling them; greasy cardboard usually belongs in compost instead.',
  },
]

/** Queries that show BM25 and the reranker disagreeing, offered as one-click examples. */
export const SAMPLE_QUERIES: readonly string[] = [
  'how do plants make food from sunlight',
  'why does lava come out of volcanoes',
  'bread that rises without commercial yeast',
  'ranking search results',
]
