/**
 * Runs sessions step by step on timers, with a deterministic script: `think`,
 * a `tool_call` when the agent has tools (and max_steps allows), then
 * `respond`, whose `message` deltas build the session's `result`. Every event
 * goes to the session's log with increasing ids, so a stream can replay what
 * came after a Last-Event-ID and then follow live events, none twice.
 * A goal containing `#fail` makes the respond step fail (an `error` event,
 * then `done` with status `failed`), so clients can test that path.
 * The engine keeps events in their fullest shape; the route that streams
 * (routes/event-stream.ts) writes them as SSE in the served version's form.
 * @module
 */
import type { v1_2 } from "@resonantgenesis/schemas";
import { ApiError } from "../errors.js";
import { EVOLVED_STREAM_EVENT } from "../evolve.js";
import type { Account } from "../store.js";

/** The names of stream events (docs/protocol.md section 5, 1.1). */
export type StreamEventName =
  | "session"
  | "step"
  | "message"
  | "tool_call"
  | "tool_result"
  | "error"
  | "done"
  | typeof EVOLVED_STREAM_EVENT;

/** One logged event. `data` is stored in the fullest shape and serialised per version when written. */
export interface LoggedEvent {
  id: number;
  event: StreamEventName;
  data: unknown;
}

interface Run {
  log: LoggedEvent[];
  listeners: Set<(event: LoggedEvent | null) => void>;
  actions: (() => void)[];
  finished: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The step that is running now, if any (cancel marks it failed). */
  currentStep: string | undefined;
}

/** A run with nothing logged, listened to or pending yet. */
const newRun = (): Run => ({
  log: [],
  listeners: new Set(),
  actions: [],
  finished: false,
  timer: undefined,
  currentStep: undefined,
});

/** How the engine paces sessions. */
export interface EngineOptions {
  /** Delay between two events of a running session. */
  stepDelayMs: number;
  /** The mock clock. */
  now: () => Date;
  /** Answer as the evolved server: every step event is followed by a `thinking` event. */
  evolve?: boolean;
  /** Called when a run ends with its final session (webhook events). */
  onEnd?: (account: Account, session: v1_2.Session) => void;
}

/** The answer text of a session: deterministic from the goal. */
export function answerFor(goal: string): string {
  return `Here is the result for "${goal}": done.`;
}

/** Splits an answer into a few `message` deltas that concatenate back to it. */
export function deltasOf(text: string, max = 8): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const size = Math.ceil(words.length / Math.min(max, words.length));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(""));
  return out;
}

const tokensOf = (text: string | null): number => (text ? Math.ceil(text.length / 4) : 0);

/** A session's events so far, and the way to follow the ones still to come. */
export interface EventFeed {
  /** Every event logged so far, oldest first. */
  readonly log: readonly LoggedEvent[];
  /** True once the run has ended: nothing follows the log. */
  readonly finished: boolean;
  /** Calls `listener` with each later event, then with null when the run ends; answers the function that stops listening. */
  follow(listener: (event: LoggedEvent | null) => void): () => void;
}

/** Runs every session of the mock and keeps their event logs. */
export class SessionsEngine {
  private runs = new Map<string, Run>();

  constructor(readonly options: EngineOptions) {}

  private key(account: Account, sessionId: string): string {
    return `${account.id}\u0000${sessionId}`;
  }

  /** Starts a session that was just stored: logs its `session` event now, the rest on timers. */
  start(account: Account, sessionId: string): Run {
    const run = this.prepare(account, sessionId);
    this.schedule(run);
    return run;
  }

  /** Runs a stored session to its end at once (seeding): same events, no timers. */
  complete(account: Account, sessionId: string): void {
    const run = this.prepare(account, sessionId);
    while (run.actions.length && !run.finished) run.actions.shift()!();
  }

  private prepare(account: Account, sessionId: string): Run {
    const run = newRun();
    this.runs.set(this.key(account, sessionId), run);
    const session = account.sessions.get(sessionId)!;
    this.emit(run, "session", { ...session });
    // A session picked up running (imported so, or stopped by close()) has steps already: they come first, and a
    // step nothing runs any more has failed.
    const { steps } = account.extras(sessionId);
    for (const step of steps.values())
      this.emit(run, "step", step.status === "running" ? steps.put({ ...step, status: "failed" }) : { ...step });
    run.actions = this.script(account, run, session);
    return run;
  }

  private schedule(run: Run): void {
    if (run.finished || run.actions.length === 0) return;
    run.timer = setTimeout(() => {
      run.timer = undefined;
      run.actions.shift()?.();
      this.schedule(run);
    }, this.options.stepDelayMs);
  }

  private emit(run: Run, event: StreamEventName, data: unknown): void {
    const logged: LoggedEvent = { id: run.log.length + 1, event, data };
    run.log.push(logged);
    for (const listener of [...run.listeners]) listener(logged);
    if (event === "done") {
      run.finished = true;
      for (const listener of [...run.listeners]) listener(null);
      run.listeners.clear();
    }
    // The evolved server has an event type this SDK does not know: it comes after each step.
    if (event === "step" && this.options.evolve) {
      const step = data as { id: string; status: string };
      this.emit(run, EVOLVED_STREAM_EVENT, { step_id: step.id, text: `thinking about a ${step.status} step` });
    }
  }

  /** The list of actions, one event each, that play the session out. */
  private script(account: Account, run: Run, session: v1_2.Session): (() => void)[] {
    const extras = account.extras(session.id);
    const agent = account.agents.get(session.agent_id);
    const toolId = (agent?.tool_ids ?? []).find((id) => account.tools.has(id));
    const max = extras.maxSteps;
    const plan: v1_2.Step["action"][] =
      toolId && max >= 3 ? ["think", "tool_call", "respond"] : max >= 2 ? ["think", "respond"] : ["respond"];
    const failing = /#fail\b/i.test(session.goal);
    const answer = answerFor(session.goal);
    const now = () => this.options.now().toISOString();
    const live = () => account.sessions.get(session.id);
    const actions: (() => void)[] = [];
    const stepIds: string[] = [];
    const before = extras.steps.size;

    const updateSession = (patch: Partial<v1_2.Session>): v1_2.Session | undefined => {
      const current = live();
      if (!current) return undefined;
      const next = { ...current, ...patch };
      account.sessions.put(next);
      return next;
    };
    const endStep = (index: number, output: string | null, status: "completed" | "failed") => {
      const step = extras.steps.get(stepIds[index]!);
      if (!step) return;
      const done: v1_2.Step = { ...step, output, status };
      extras.steps.put(done);
      run.currentStep = undefined;
      const current = live();
      if (current && status === "completed")
        updateSession({
          steps_completed: current.steps_completed + 1,
          tokens_used: current.tokens_used + tokensOf(step.input) + tokensOf(output) + 10,
        });
      this.emit(run, "step", { ...done });
    };

    plan.forEach((action, index) => {
      actions.push(() => {
        const input =
          action === "think" ? session.goal : action === "tool_call" ? JSON.stringify({ query: session.goal }) : null;
        const step: v1_2.Step = {
          id: crypto.randomUUID(),
          object: "step",
          session_id: session.id,
          step_number: before + index + 1,
          action,
          input,
          output: null,
          status: "running",
          created_at: now(),
        };
        stepIds[index] = step.id;
        extras.steps.insert(step);
        run.currentStep = step.id;
        this.emit(run, "step", { ...step });
      });
      if (action === "think")
        actions.push(() => endStep(index, `Plan: work out "${session.goal}" and answer.`, "completed"));
      if (action === "tool_call") {
        actions.push(() =>
          this.emit(run, "tool_call", { step_id: stepIds[index], tool_id: toolId, data: { query: session.goal } }),
        );
        actions.push(() =>
          this.emit(run, "tool_result", {
            step_id: stepIds[index],
            tool_id: toolId,
            data: { ok: true, results: [`result for ${session.goal}`] },
          }),
        );
        actions.push(() => endStep(index, `1 result for "${session.goal}"`, "completed"));
      }
      if (action === "respond") {
        if (failing) {
          actions.push(() =>
            this.emit(
              run,
              "error",
              new ApiError({
                status: 502,
                code: "upstream_error",
                message: "The model provider failed while answering",
              }),
            ),
          );
          actions.push(() => endStep(index, null, "failed"));
          actions.push(() => this.finish(run, updateSession({ status: "failed", completed_at: now() }), account));
        } else {
          for (const delta of deltasOf(answer)) actions.push(() => this.emit(run, "message", { delta }));
          actions.push(() => endStep(index, answer, "completed"));
          actions.push(() =>
            this.finish(run, updateSession({ status: "completed", result: answer, completed_at: now() }), account),
          );
        }
      }
    });
    return actions;
  }

  private finish(run: Run, session: v1_2.Session | undefined, account?: Account): void {
    if (session) this.emit(run, "done", { ...session });
    else this.stopRun(run);
    if (session && account) this.options.onEnd?.(account, session);
  }

  private stopRun(run: Run): void {
    if (run.timer) clearTimeout(run.timer);
    run.timer = undefined;
    run.actions = [];
    run.finished = true;
    for (const listener of [...run.listeners]) listener(null);
    run.listeners.clear();
  }

  /**
   * Cancels a running session: the running step fails, the session becomes
   * `cancelled`, and `done` is logged. A session that has ended is left as it is.
   */
  cancel(account: Account, sessionId: string): void {
    const session = account.sessions.get(sessionId);
    if (session?.status !== "running") return;
    const run = this.runs.get(this.key(account, sessionId));
    if (run) {
      if (run.timer) clearTimeout(run.timer);
      run.timer = undefined;
      run.actions = [];
    }
    const extras = account.extras(sessionId);
    const stepId = run?.currentStep;
    const step = stepId ? extras.steps.get(stepId) : undefined;
    if (step && step.status === "running") {
      const failed: v1_2.Step = { ...step, status: "failed" };
      extras.steps.put(failed);
      if (run) this.emit(run, "step", { ...failed });
    }
    const cancelled: v1_2.Session = { ...session, status: "cancelled", completed_at: this.options.now().toISOString() };
    account.sessions.put(cancelled);
    if (run) this.emit(run, "done", { ...cancelled });
  }

  /** Stops and forgets a session's run (when the session is deleted); open streams end. */
  forget(account: Account, sessionId: string): void {
    const key = this.key(account, sessionId);
    const run = this.runs.get(key);
    if (run) this.stopRun(run);
    this.runs.delete(key);
  }

  /** Stops every run and forgets every log. */
  stopAll(): void {
    for (const run of this.runs.values()) this.stopRun(run);
    this.runs.clear();
  }

  /** The logs of the runs that have ended, by run: what `reset()` gives back to the seeded sessions. */
  endedLogs(): Map<string, readonly LoggedEvent[]> {
    const logs = new Map<string, readonly LoggedEvent[]>();
    for (const [key, run] of this.runs) if (run.finished) logs.set(key, [...run.log]);
    return logs;
  }

  /** Forgets every run, then gives back ended runs' logs (as {@link endedLogs} answered them). Logged events are never changed, so they are shared. */
  restoreLogs(logs: ReadonlyMap<string, readonly LoggedEvent[]>): void {
    this.stopAll();
    for (const [key, log] of logs) this.runs.set(key, { ...newRun(), log: [...log], finished: true });
  }

  /**
   * The log of a session. An ended session with no run here (imported) gets a
   * log made from what is stored: the session, its steps, and `done`.
   */
  private runFor(account: Account, sessionId: string): Run {
    const existing = this.runs.get(this.key(account, sessionId));
    if (existing) return existing;
    const session = account.sessions.get(sessionId)!;
    // Running with no run here (imported so, or stopped by close()): nothing would ever end its stream, which
    // must end with `done`, so the engine plays it out from where it is.
    if (session.status === "running") return this.start(account, sessionId);
    const run = newRun();
    this.emit(run, "session", { ...session, status: "running", result: null, completed_at: null });
    for (const step of account.extras(sessionId).steps.values()) this.emit(run, "step", { ...step });
    this.emit(run, "done", { ...session });
    this.runs.set(this.key(account, sessionId), run);
    return run;
  }

  /** The events of a session: its log now, and its live events until the run ends. */
  feed(account: Account, sessionId: string): EventFeed {
    const run = this.runFor(account, sessionId);
    return {
      log: run.log,
      get finished() {
        return run.finished;
      },
      follow(listener) {
        run.listeners.add(listener);
        return () => run.listeners.delete(listener);
      },
    };
  }
}
