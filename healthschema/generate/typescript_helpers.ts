type SchemaName = keyof Database
type DefaultSchema = Database[DEFAULT_SCHEMA]
type Readable<S extends SchemaName> = Database[S]["Tables"] & Database[S]["Views"]

/** Row type of a table or view: `Tables<"name">` or `Tables<{ schema: "s" }, "name">`. */
export type Tables<
  NameOrSchema extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"]) | { schema: SchemaName },
  Name extends NameOrSchema extends { schema: SchemaName } ? keyof Readable<NameOrSchema["schema"]> : never = never,
> = NameOrSchema extends { schema: SchemaName }
  ? Readable<NameOrSchema["schema"]>[Name] extends { Row: infer R } ? R : never
  : NameOrSchema extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[NameOrSchema] extends { Row: infer R } ? R : never
    : never

/** Insert type of a table: `TablesInsert<"name">` or `TablesInsert<{ schema: "s" }, "name">`. */
export type TablesInsert<
  NameOrSchema extends keyof DefaultSchema["Tables"] | { schema: SchemaName },
  Name extends NameOrSchema extends { schema: SchemaName }
    ? keyof Database[NameOrSchema["schema"]]["Tables"]
    : never = never,
> = NameOrSchema extends { schema: SchemaName }
  ? Database[NameOrSchema["schema"]]["Tables"][Name] extends { Insert: infer I } ? I : never
  : NameOrSchema extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][NameOrSchema] extends { Insert: infer I } ? I : never
    : never

/** Update type of a table: `TablesUpdate<"name">` or `TablesUpdate<{ schema: "s" }, "name">`. */
export type TablesUpdate<
  NameOrSchema extends keyof DefaultSchema["Tables"] | { schema: SchemaName },
  Name extends NameOrSchema extends { schema: SchemaName }
    ? keyof Database[NameOrSchema["schema"]]["Tables"]
    : never = never,
> = NameOrSchema extends { schema: SchemaName }
  ? Database[NameOrSchema["schema"]]["Tables"][Name] extends { Update: infer U } ? U : never
  : NameOrSchema extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][NameOrSchema] extends { Update: infer U } ? U : never
    : never

/** Values of an enum type: `Enums<"name">` or `Enums<{ schema: "s" }, "name">`. */
export type Enums<
  NameOrSchema extends keyof DefaultSchema["Enums"] | { schema: SchemaName },
  Name extends NameOrSchema extends { schema: SchemaName }
    ? keyof Database[NameOrSchema["schema"]]["Enums"]
    : never = never,
> = NameOrSchema extends { schema: SchemaName }
  ? Database[NameOrSchema["schema"]]["Enums"][Name]
  : NameOrSchema extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][NameOrSchema]
    : never

/** A composite type: `CompositeTypes<"name">` or `CompositeTypes<{ schema: "s" }, "name">`. */
export type CompositeTypes<
  NameOrSchema extends keyof DefaultSchema["CompositeTypes"] | { schema: SchemaName },
  Name extends NameOrSchema extends { schema: SchemaName }
    ? keyof Database[NameOrSchema["schema"]]["CompositeTypes"]
    : never = never,
> = NameOrSchema extends { schema: SchemaName }
  ? Database[NameOrSchema["schema"]]["CompositeTypes"][Name]
  : NameOrSchema extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][NameOrSchema]
    : never
