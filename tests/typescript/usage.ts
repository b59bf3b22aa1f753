// Compiles against the generated types with `tsc --strict --noEmit` (tests/test_typescript.py).
import type {
  CustomerHealthRow, Database, Json, SuccessMilestoneInsert, SuccessMilestoneStatus, SupportInteractionStatus,
  Tables, TablesInsert, TablesUpdate,
} from "./database"
import { Constants } from "./database"

// Literal unions from the CHECK value sets, and the same values for pickers.
const status: SupportInteractionStatus = "pending_customer"
const pickable: readonly SupportInteractionStatus[] = Constants.public.CheckValues.support_interactions.status
const milestoneStatus: SuccessMilestoneStatus = Constants.public.CheckValues.success_milestones.status[0]

// Insert: only NOT NULL columns without a default are required.
const insert: SuccessMilestoneInsert = {
  client_id: "00000000-0000-0000-0000-000000000001",
  organization_id: "00000000-0000-0000-0000-000000000002",
  milestone_type: "venue_booked",
  milestone_category: "planning",
  milestone_name: "Book the venue",
}
const insertWithOptional: TablesInsert<"success_milestones"> = {
  ...insert, status: "in_progress", priority: "high", notes: null, prerequisite_milestone_ids: [],
  trigger_conditions: { any: ["json", 1, true, null] },
}

// Update: everything optional; nullable columns take null.
const update: TablesUpdate<"support_interactions"> = { status: "resolved", resolved_at: null }

// Row: exact nullability.
function score(row: CustomerHealthRow): number {
  return row.overall_health_score + (row.satisfaction_score ?? 0)
}
const currentFlag = (row: Tables<"customer_health">): boolean => row.is_current

// Supabase shapes: helpers with a schema, Relationships, Functions the API may call.
const viaSchema: Tables<{ schema: "public" }, "sla_targets">["priority"] = "critical"
type Relationship = Database["public"]["Tables"]["success_milestones"]["Relationships"][number]
const referenced: Relationship["referencedRelation"] = "milestone_templates"
const args: Database["healthschema_private"]["Functions"]["refresh_customer_health"]["Args"] = {}
const returned: Database["healthschema_private"]["Functions"]["refresh_customer_health"]["Returns"] = 3
const json: Json = { nested: [1, "two", { three: null }] }

export { args, currentFlag, insertWithOptional, json, milestoneStatus, pickable, referenced, returned, score, status,
  update, viaSchema }
