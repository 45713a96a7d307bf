#pragma once
// The Elastic Common Schema as a table: every ECS field with its type,
// whether ECS normalizes it to an array, and the values it allows where ECS
// enumerates them. Generated from ECS's own field list (scripts/gen-field-table,
// src/ecs/generated/); it decides which names a rule may use and what a
// document auditeql writes must look like.
#include <cstdint>
#include <span>
#include <string_view>

namespace auditeql::ecs {

// The ECS version the generated table, and so every document, follows.
inline constexpr std::string_view kEcsVersion = "9.0.0";

enum class FieldType : uint8_t {
  Keyword,
  ConstantKeyword,
  Wildcard,
  MatchOnlyText,
  Text,
  Long,
  Integer,
  Float,
  ScaledFloat,
  Double,
  Boolean,
  Date,
  Ip,
  GeoPoint,
  Object,
  Flattened,
  Nested,
};

std::string_view to_string(FieldType type);
bool is_string_type(FieldType type);   // keyword, wildcard, text, ip...: a JSON string
bool is_number_type(FieldType type);   // long ... double: a JSON number

struct SchemaField {
  std::string_view name;
  FieldType type;
  bool array;                    // ECS normalizes the field to an array
  std::string_view allowed;      // comma-separated allowed values; empty when any
  // Whether `value` is one of `allowed` (always true when ECS allows any).
  bool allows(std::string_view value) const;
};

// The schemas whose field names auditeql knows. ECS is the base; Elastic's
// own rules are written for Elastic Defend's extension of it (process.Ext.*,
// file.Ext.*...), for those on auditd data for Auditd Manager's auditd.*,
// and for the few on Kubernetes audit logs for that integration's fields.
enum class Schema : uint8_t { Ecs, ElasticDefend, AuditdManager, KubernetesAudit };
inline constexpr Schema kElasticSchemas[] = {Schema::ElasticDefend, Schema::AuditdManager, Schema::KubernetesAudit};
std::string_view to_string(Schema schema);

// Every field of a schema, sorted by name.
std::span<const SchemaField> fields_of(Schema schema);
inline std::span<const SchemaField> ecs_fields() { return fields_of(Schema::Ecs); }

// The field named `name` in `schema`, or the `flattened` field above it
// (every name under one is a valid field); null when there is neither.
const SchemaField* find_field(Schema schema, std::string_view name);
// The ECS field named exactly `name`.
const SchemaField* find_ecs_field(std::string_view name);

}  // namespace auditeql::ecs
