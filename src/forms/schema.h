// Form schemas in the JSON format of @bpmn-io/form-js, compiled once into an
// immutable Form: every FEEL expression (conditional.hide, expression fields,
// valuesExpression) and every validate.pattern is compiled at load time, so
// validating a submission never re-parses anything.
//
//   AW_ASSIGN_OR_RETURN(auto form, forms::ParseForm(schema_text));
//   AW_ASSIGN_OR_RETURN(core::Json clean, forms::Validate(*form, data, {}));
//
// Unknown component types are errors (naming the component id and its JSON
// pointer in the schema); unknown properties are kept in `raw` and ignored.
// A Form is immutable after construction and safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "feel/decimal.h"
#include "feel/evaluator.h"

namespace amtsweg::forms {

enum class ComponentType {
  kTextfield,
  kTextarea,
  kNumber,
  kDatetime,
  kCheckbox,
  kChecklist,
  kRadio,
  kSelect,
  kTaglist,
  kFilepicker,
  kExpression,  // computed field: evaluated server-side, client value ignored
  kGroup,
  kDynamicList,
  // Display only: no data.
  kText,
  kHtml,
  kImage,
  kSpacer,
  kSeparator,
  kButton,
  kIframe,
  kTable,
  kDocumentPreview,
};

// The form-js type string ("textfield", "dynamiclist", ...).
const char* ComponentTypeName(ComponentType t);
// True for types that bind a `key` in the data.
bool IsKeyed(ComponentType t);

enum class ValidationType { kNone, kEmail, kPhone, kCustom };
enum class DateSubtype { kDate, kTime, kDateTime };

// One allowed value of select/radio/checklist/taglist.
struct Option {
  std::string label;
  core::Json value;
};

struct Component {
  ComponentType type = ComponentType::kText;
  std::string id;                 // form-js component id (may be empty in hand-written schemas)
  std::string schema_pointer;     // JSON pointer of this component in the schema
  std::string key;                // as written, e.g. "applicant.name"
  std::vector<std::string> key_path;  // key split at '.'
  std::string path;                   // group/dynamiclist `path`, as written
  std::vector<std::string> path_segments;
  std::string label;

  // validate.*
  bool required = false;
  std::optional<int64_t> min_length, max_length;
  std::string pattern;
  std::shared_ptr<const std::regex> pattern_re;
  ValidationType validation_type = ValidationType::kNone;
  std::optional<feel::Decimal> min, max;

  // number
  std::optional<int64_t> decimal_digits;
  std::optional<feel::Decimal> increment;
  bool serialize_to_string = false;

  // datetime
  DateSubtype subtype = DateSubtype::kDate;
  bool disallow_passed_dates = false;

  // select, radio, checklist, taglist: exactly one source of options, or none.
  bool has_static_values = false;
  std::vector<Option> values;
  std::string values_key;
  std::string values_expression_text;
  feel::CompiledExpression values_expression;

  // conditional.hide (FEEL, without the leading '=')
  std::string hide_text;
  feel::CompiledExpression hide;

  // expression field
  std::string expression_text;
  feel::CompiledExpression expression;
  std::string compute_on;  // "change" or "presubmit"; the server always computes

  // dynamiclist: form-js has no item limits; Amtsweg reads them from the
  // component's custom properties `properties.minItems` / `properties.maxItems`.
  bool is_repeating = false;
  std::optional<int64_t> min_items, max_items;

  // filepicker
  bool multiple = false;

  bool disabled = false;

  std::vector<Component> components;  // group, dynamiclist
  core::Json raw;                     // the component as given (unknown properties kept)
};

// Limits applied while compiling a schema (untrusted input from the designer or an import).
struct SchemaLimits {
  size_t max_json_depth = 64;       // JSON nesting of the schema document
  size_t max_component_depth = 16;  // nesting of groups and dynamic lists
  size_t max_components = 5000;
  size_t max_bytes = 8 * 1024 * 1024;
};

class Form {
 public:
  const std::string& id() const { return id_; }
  const std::vector<Component>& components() const { return components_; }
  // The schema as given; what the browser renders.
  const core::Json& schema() const { return schema_; }
  // Names with spaces etc. known to the FEEL compiler (all keys and paths).
  const feel::CompileOptions& feel_options() const { return feel_options_; }
  size_t component_count() const { return component_count_; }

 private:
  friend core::Result<std::unique_ptr<const Form>> CompileForm(const core::Json&,
                                                               const SchemaLimits&);
  std::string id_;
  std::vector<Component> components_;
  core::Json schema_;
  feel::CompileOptions feel_options_;
  size_t component_count_ = 0;
};

// Compiles a parsed form-js schema. kInvalidArgument listing every problem as
// a FieldError (pointer into the schema, message naming the component id):
// unknown component type, missing or duplicate key, invalid FEEL, invalid
// pattern, wrong property types, limits exceeded.
core::Result<std::unique_ptr<const Form>> CompileForm(const core::Json& schema,
                                                      const SchemaLimits& limits = {});

// Parses and compiles schema JSON text (bounded depth, valid UTF-8 required).
core::Result<std::unique_ptr<const Form>> ParseForm(std::string_view json_text,
                                                    const SchemaLimits& limits = {});

// Parses untrusted JSON text without risking the stack: nesting deeper than
// `max_depth` is rejected before the recursive parser runs; text larger than
// `max_bytes` is rejected (kResourceExhausted). Malformed JSON and invalid
// UTF-8 give kInvalidArgument with line and column.
core::Result<core::Json> ParseJsonBounded(std::string_view text, size_t max_depth,
                                          size_t max_bytes);

// RFC 6901 escaping of one reference token ('~' -> "~0", '/' -> "~1").
std::string EscapePointerToken(std::string_view token);

}  // namespace amtsweg::forms
