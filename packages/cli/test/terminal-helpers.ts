/**
 * The CLI run in a real pseudo-terminal (tmux): a test's own tmux server,
 * a fresh window per run, the screen read until it shows what the test waits for.
 */
import { spawnSync } from "node:child_process";
import { expect } from "vitest";
import { BIN } from "./helpers.js";

/** Whether tmux is installed (the terminal tests skip without it). */
export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

/** A tmux server of the test's own (`-L name`), and the CLI run in its windows. */
export function terminal(name: string, where: { dir: string; baseURL: string }) {
  const socket = `${name}-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  return {
    /** Ends the tmux server and every window in it. */
    close: () => void tmux("kill-server"),
    /**
     * Runs `resonant ...args` in a fresh window; answers `keys` to a `[y/N]` prompt when one shows;
     * resolves with the screen once `until` shows on it (the command's exit code shows as `EXIT:<n>`).
     */
    async run(window: string, args: string[], key: string, until: RegExp, keys?: string[]): Promise<string> {
      const quoted = args.map((a) => `'${a}'`).join(" ");
      const cmd = `cd '${where.dir}' && env RESONANT_BASE_URL='${where.baseURL}' RESONANT_API_KEY='${key}' '${process.execPath}' '${BIN}' ${quoted}; echo "EXIT:$?"; sleep 60`;
      expect(tmux("new-session", "-d", "-s", window, "-x", "150", "-y", "50", cmd).status).toBe(0);
      let screen = "";
      let sent = false;
      for (let i = 0; i < 600; i++) {
        await new Promise((r) => setTimeout(r, 50));
        screen = tmux("capture-pane", "-p", "-t", window).stdout;
        if (keys && !sent && /\[y\/N\]/.test(screen)) {
          tmux("send-keys", "-t", window, ...keys);
          sent = true;
        }
        if (until.test(screen)) return screen;
      }
      throw new Error(`the terminal never showed ${until}:\n${screen}`);
    },
    /** Types `keys` into `window` (tmux key names: `C-c` is Ctrl-C). */
    keys: (window: string, ...keys: string[]) => void tmux("send-keys", "-t", window, ...keys),
    /** The screen of `window` once `until` shows on it. */
    async screen(window: string, until: RegExp): Promise<string> {
      let screen = "";
      for (let i = 0; i < 600; i++) {
        screen = tmux("capture-pane", "-p", "-t", window).stdout;
        if (until.test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the terminal never showed ${until}:\n${screen}`);
    },
    /** Whether the cursor of `window` is shown (a program that hid it and ended without showing it leaves it hidden). */
    cursorShown: (window: string) => tmux("display", "-p", "-t", window, "#{cursor_flag}").stdout.trim() === "1",
  };
}
