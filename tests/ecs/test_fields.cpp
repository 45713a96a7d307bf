#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "ecs/fields.h"
#include "ecs/schema.h"

using namespace auditeql;

BOOST_AUTO_TEST_SUITE(field_registry)

// Each field auditeql sets is the ECS field of that name, with ECS's type and
// array normalization; a field ECS does not have is Elastic Defend's (with its
// type there) or one of auditeql's own.
BOOST_AUTO_TEST_CASE(every_field_is_ecs_s_or_auditeql_s_own) {
  for (const auto& f : ecs::event_fields()) {
    BOOST_TEST_CONTEXT(f.name) {
      if (const auto* e = ecs::find_ecs_field(f.name)) {
        BOOST_TEST(ecs::to_string(f.type) == ecs::to_string(e->type));
        BOOST_TEST(f.array == e->array);
      } else if (const auto* d = ecs::find_field(ecs::Schema::ElasticDefend, f.name)) {
        BOOST_TEST(ecs::to_string(f.type) == ecs::to_string(d->type));
      } else {
        BOOST_TEST((f.name.starts_with("auditd.") || f.name.starts_with("auditeql.")));
      }
      BOOST_TEST(f.kinds != 0u);  // set on some kind of event
      BOOST_TEST((f.read != nullptr));
    }
  }
}

BOOST_AUTO_TEST_CASE(names_are_unique_and_lookups_find_them) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ecs::event_fields().size(); ++i) {
    const auto& f = ecs::event_fields()[i];
    BOOST_TEST(seen.insert(f.name).second, f.name);
    BOOST_TEST((ecs::find_event_field(f.name) == std::optional<ecs::EventFieldId>(i)));
  }
  BOOST_TEST(!ecs::find_event_field("process.nmae").has_value());
  BOOST_TEST(ecs::event_fields().size() <= ecs::kMaxEventFields);
}

// A leaf and an object of the same name cannot both be written.
BOOST_AUTO_TEST_CASE(no_field_is_the_parent_of_another) {
  for (const auto& a : ecs::event_fields()) {
    for (const auto& b : ecs::event_fields()) {
      BOOST_TEST(!b.name.starts_with(std::string(a.name) + "."), a.name << " / " << b.name);
    }
  }
}

// Enumerated ECS fields only ever hold allowed values: event.kind, and the
// category and type of every kind of event.
BOOST_AUTO_TEST_CASE(the_classification_of_every_kind_is_allowed_by_ecs) {
  const auto* category = ecs::find_ecs_field("event.category");
  const auto* type = ecs::find_ecs_field("event.type");
  BOOST_REQUIRE(category != nullptr);
  BOOST_REQUIRE(type != nullptr);
  BOOST_TEST(!category->allowed.empty());
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    const auto& c = ecs::classification(static_cast<ecs::EventKind>(k));
    BOOST_TEST(category->allows(c.category), c.category);
    BOOST_TEST(type->allows(c.type), c.type);
    // Auditd Manager leaves event.action out of a prctl event; every other kind names its action.
    if (static_cast<ecs::EventKind>(k) != ecs::EventKind::ProcessControl) BOOST_TEST(!c.action.empty());
  }
  BOOST_TEST(!type->allows("exec"));  // the check can fail
}

BOOST_AUTO_TEST_CASE(schemas_find_fields_and_names_under_flattened_ones) {
  BOOST_TEST(ecs::find_field(ecs::Schema::Ecs, "process.parent.name") != nullptr);
  BOOST_TEST(ecs::find_field(ecs::Schema::Ecs, "process.nmae") == nullptr);
  BOOST_TEST(ecs::find_field(ecs::Schema::ElasticDefend, "file.Ext.original.path") != nullptr);
  BOOST_TEST(ecs::find_field(ecs::Schema::Ecs, "file.Ext.original.path") == nullptr);
  // auditd.data is flattened in Auditd Manager: any name below it is a field.
  BOOST_TEST(ecs::find_field(ecs::Schema::AuditdManager, "auditd.data.a0") != nullptr);
  BOOST_TEST(ecs::find_field(ecs::Schema::AuditdManager, "auditd.nosuch") == nullptr);
  BOOST_TEST(ecs::find_field(ecs::Schema::KubernetesAudit, "kubernetes.audit.user.extra.x/y") != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
