/**
 * A base URL may carry a user and password (`http://u:pw@host/api`, a gateway's basic auth). They are a
 * credential: never written into a checkpoint (which keeps, and compares, the URL without them), and
 * never printed (`versions` names the server without them; any other line shows them as `***`).
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { accountOn, DEMO_API_KEY, exportedAccount } from "./helpers.js";

// Made while the file is collected (top-level await), closed after its tests.
const { mock, tmp, cli, close } = await exportedAccount({ agents: 50 }, "a.json");
afterAll(() => close());
const withPassword: string = mock.baseURL.replace("http://", "http://u:secretpw@");

describe("a base URL's user and password", () => {
  it("copy: the checkpoint keeps the URL without them, and a resume compares it without them", async () => {
    const key = mock.api.createAccount().key;
    let calls = 0;
    mock.dropImport = () => (calls++ === 1 ? "before" : undefined);
    const args = ["copy", "--to-key", key, "--batch-size", "10", "--max-retries", "0"];
    const cut = await cli(["--base-url", withPassword, ...args]);
    mock.dropImport = undefined;
    expect(cut.code).toBe(1);
    expect(cut.stdout + cut.stderr).not.toContain("secretpw");
    const path = tmp.path("resonant-copy.checkpoint");
    const text = await readFile(path, "utf8");
    expect(text).not.toContain("secretpw");
    expect(text).not.toContain("u:");
    const state = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(state.source!.base_url).toBe(mock.baseURL);
    expect(state.target!.base_url).toBe(mock.baseURL);

    const resumed = await cli([
      "--base-url",
      mock.baseURL.replace("http://", "http://v:otherpw@"),
      ...args,
      "--resume",
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await accountOn(mock, key)).toEqual(await accountOn(mock, DEMO_API_KEY));
  });

  it("an older checkpoint that kept them: the refusal names the URL without them", async () => {
    const key = mock.api.createAccount().key;
    let calls = 0;
    mock.dropImport = () => (calls++ === 1 ? "before" : undefined);
    const args = ["copy", "--to-key", key, "--batch-size", "10", "--max-retries", "0"];
    expect((await cli(args)).code).toBe(1);
    mock.dropImport = undefined;
    const path = tmp.path("resonant-copy.checkpoint");
    const state = JSON.parse(await readFile(path, "utf8")) as Record<string, Record<string, unknown>>;
    state.target!.base_url = "http://u:secretpw@elsewhere.invalid/api";
    await writeFile(path, JSON.stringify(state));
    const run = await cli([...args, "--resume"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("was made for another target (http://elsewhere.invalid/api, API 1.2)");
    expect(run.stderr).not.toContain("secretpw");
  });

  it("versions names the server without them; a refused --base-url is echoed with ***", async () => {
    const run = await cli(["versions", "--base-url", withPassword]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`server (${mock.baseURL}): asked for 1.2, answered with 1.2`);
    expect(run.stdout + run.stderr).not.toContain("secretpw");
    const json = await cli(["versions", "--json", "--base-url", withPassword]);
    expect(json.stdout + json.stderr).not.toContain("secretpw");

    const refused = await cli(["versions", "--base-url", `${withPassword}/v1.2`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("ends with an API version");
    expect(refused.stderr).toContain("http://***@127.0.0.1");
    expect(refused.stderr).not.toContain("secretpw");
  });
});
