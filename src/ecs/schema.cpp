#include "ecs/schema.h"

#include <algorithm>

namespace auditeql::ecs {
namespace {

constexpr SchemaField kEcsFields[] = {
#include "ecs/generated/ecs_fields.inc"
};
constexpr SchemaField kElasticDefendFields[] = {
#include "ecs/generated/endpoint_fields.inc"
};
constexpr SchemaField kAuditdManagerFields[] = {
#include "ecs/generated/auditd_manager_fields.inc"
};
constexpr SchemaField kKubernetesAuditFields[] = {
#include "ecs/generated/kubernetes_audit_fields.inc"
};

const SchemaField* find_exact(std::span<const SchemaField> fields, std::string_view name) {
  const auto it = std::lower_bound(fields.begin(), fields.end(), name,
                                   [](const SchemaField& f, std::string_view n) { return f.name < n; });
  return it != fields.end() && it->name == name ? &*it : nullptr;
}

}  // namespace

std::string_view to_string(FieldType type) {
  switch (type) {
    case FieldType::Keyword: return "keyword";
    case FieldType::ConstantKeyword: return "constant_keyword";
    case FieldType::Wildcard: return "wildcard";
    case FieldType::MatchOnlyText: return "match_only_text";
    case FieldType::Text: return "text";
    case FieldType::Long: return "long";
    case FieldType::Integer: return "integer";
    case FieldType::Float: return "float";
    case FieldType::ScaledFloat: return "scaled_float";
    case FieldType::Double: return "double";
    case FieldType::Boolean: return "boolean";
    case FieldType::Date: return "date";
    case FieldType::Ip: return "ip";
    case FieldType::GeoPoint: return "geo_point";
    case FieldType::Object: return "object";
    case FieldType::Flattened: return "flattened";
    case FieldType::Nested: return "nested";
  }
  return "unknown";
}

bool is_string_type(FieldType type) {
  switch (type) {
    case FieldType::Keyword:
    case FieldType::ConstantKeyword:
    case FieldType::Wildcard:
    case FieldType::MatchOnlyText:
    case FieldType::Text:
    case FieldType::Ip:
      return true;
    default:
      return false;
  }
}

bool is_number_type(FieldType type) {
  switch (type) {
    case FieldType::Long:
    case FieldType::Integer:
    case FieldType::Float:
    case FieldType::ScaledFloat:
    case FieldType::Double:
      return true;
    default:
      return false;
  }
}

bool SchemaField::allows(std::string_view value) const {
  if (allowed.empty()) return true;
  for (size_t start = 0; start <= allowed.size();) {
    const size_t comma = std::min(allowed.find(',', start), allowed.size());
    if (allowed.substr(start, comma - start) == value) return true;
    start = comma + 1;
  }
  return false;
}

std::string_view to_string(Schema schema) {
  switch (schema) {
    case Schema::Ecs: return "ECS";
    case Schema::ElasticDefend: return "Elastic Defend";
    case Schema::AuditdManager: return "Auditd Manager";
    case Schema::KubernetesAudit: return "Kubernetes audit logs";
  }
  return "";
}

std::span<const SchemaField> fields_of(Schema schema) {
  switch (schema) {
    case Schema::Ecs: return kEcsFields;
    case Schema::ElasticDefend: return kElasticDefendFields;
    case Schema::AuditdManager: return kAuditdManagerFields;
    case Schema::KubernetesAudit: return kKubernetesAuditFields;
  }
  return {};
}

const SchemaField* find_ecs_field(std::string_view name) { return find_exact(kEcsFields, name); }

const SchemaField* find_field(Schema schema, std::string_view name) {
  const auto fields = fields_of(schema);
  if (const SchemaField* f = find_exact(fields, name)) return f;
  for (size_t dot = name.rfind('.'); dot != std::string_view::npos && dot > 0; dot = name.rfind('.', dot - 1)) {
    const SchemaField* parent = find_exact(fields, name.substr(0, dot));
    if (parent != nullptr) return parent->type == FieldType::Flattened ? parent : nullptr;
  }
  return nullptr;
}

}  // namespace auditeql::ecs
