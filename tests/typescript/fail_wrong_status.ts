import type { TablesUpdate } from "./database"
// "done" is not a support_interactions status.
export const update: TablesUpdate<"support_interactions"> = { status: "done" }
