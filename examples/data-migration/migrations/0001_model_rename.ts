import { defineMigration } from "@resonantgenesis/cli";

/** Every agent on gpt-4-turbo moves to gpt-4.1. No down(): `migrate down` reverses this run's journal. */
export default defineMigration({
  revision: "3f9a1c0b7e21",
  downRevision: null,
  message: "every agent on gpt-4-turbo moves to gpt-4.1",
  async up(ctx) {
    const n = await ctx.update("agents", {
      where: (agent) => agent.model === "gpt-4-turbo",
      set: { model: "gpt-4.1" },
    });
    ctx.log(`${n} agents move to gpt-4.1`);
  },
});
