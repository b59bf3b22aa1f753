import type { TablesUpdate } from "./database"
// priority is NOT NULL.
export const update: TablesUpdate<"success_milestones"> = { priority: null }
