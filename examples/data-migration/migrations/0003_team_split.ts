import { defineMigration } from "@resonantgenesis/cli";

const MAX = 10;
const MODES = ["sequential", "parallel", "hierarchical"] as const;

/**
 * A team of more than 10 agents is split in two: the first half stays, the
 * second half goes to a new team "<name> (2)". No down(): the journal's
 * reversal deletes the new team and gives the first its agents back.
 */
export default defineMigration({
  revision: "c71e05d4ab38",
  downRevision: "8b4d2e6a90c5",
  message: "split teams of more than 10 agents in two",
  async up(ctx) {
    const big = [];
    for await (const team of ctx.list("teams")) if (team.agent_ids.length > MAX) big.push(team);
    for (const team of big) {
      const half = Math.ceil(team.agent_ids.length / 2);
      const stay = team.agent_ids.slice(0, half);
      const leave = team.agent_ids.slice(half);
      // Answers type enums as open (a newer server may add a mode): a mode this code does not know becomes sequential.
      const mode = MODES.find((m) => m === team.coordination_mode) ?? "sequential";
      await ctx.create("teams", {
        name: `${team.name} (2)`,
        description: team.description,
        agent_ids: leave,
        lead_agent_id: leave[0],
        coordination_mode: mode,
      });
      await ctx.update("teams", (t) =>
        t.id === team.id
          ? {
              agent_ids: stay,
              lead_agent_id: team.lead_agent_id && stay.includes(team.lead_agent_id) ? team.lead_agent_id : stay[0],
            }
          : null,
      );
      ctx.log(`${team.name}: ${stay.length} agents stay, ${leave.length} go to "${team.name} (2)"`);
    }
  },
});
