import type { TablesInsert } from "./database"
// milestone_name is NOT NULL without a default: required.
export const insert: TablesInsert<"success_milestones"> = {
  client_id: "c", organization_id: "o", milestone_type: "custom", milestone_category: "planning",
}
