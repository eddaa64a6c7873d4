/** Read an environment variable where there is one (Node, Bun, Deno with --allow-env); undefined elsewhere. */
export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  } catch {
    // Deno without --allow-env throws on reading a variable.
    return undefined;
  }
}

/** True in a page (a window with a document); false in Node, workers and edge runtimes. */
export function isBrowserPage(): boolean {
  return (
    typeof (globalThis as { window?: unknown }).window !== "undefined" &&
    typeof (globalThis as { document?: unknown }).document !== "undefined"
  );
}
