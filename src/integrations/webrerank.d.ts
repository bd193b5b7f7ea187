// The package's own name, imported by the integrations at run time (a self-reference): Node's
// export conditions pick dist/node.js, a bundler's pick dist/index.js. Declared here rather than
// resolved, because `tsc -p .` runs before dist/ exists and the integrations need only this one
// function. Not emitted: the public types name QueryReranker instead.

declare module 'webrerank' {
  export function createReranker(
    options?: import('../api/types.js').RerankerOptions,
  ): Promise<import('../api/reranker.js').Reranker>
}
