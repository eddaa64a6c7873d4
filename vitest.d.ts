// The values that the contract projects hand to their tests through `inject()`.
declare module "vitest" {
  export interface ProvidedContext {
    apiVersion: "1.0" | "1.1" | "1.2";
  }
}
export {};
