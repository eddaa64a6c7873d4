import { defineMigration } from "@resonantgenesis/cli";

/** `metadata.tier` where it is missing; down() removes only the default it added. */
export default defineMigration({
  revision: "8b4d2e6a90c5",
  downRevision: "3f9a1c0b7e21",
  message: "add metadata.tier (standard) where missing",
  async up(ctx) {
    await ctx.update("agents", (agent) =>
      agent.metadata.tier === undefined ? { "metadata.tier": "standard", "metadata.tier_default": "true" } : null,
    );
  },
  async down(ctx) {
    await ctx.update("agents", {
      where: (agent) => agent.metadata.tier_default === "true",
      unset: ["metadata.tier", "metadata.tier_default"],
    });
  },
});
