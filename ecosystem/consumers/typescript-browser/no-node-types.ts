// Guards the project itself: with @types/node installed this line would
// compile, and the matrix would no longer test a project without Node's types.
// @ts-expect-error no Node types here: `process` is unknown
export const env = process.env;
