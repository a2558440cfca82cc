#include "dmn/engine.h"

#include <functional>
#include <set>

#include "dmn/boxed.h"
#include "dmn/importer.h"

namespace amtsweg::dmn {

using feel::Closure;
using feel::EvalState;
using feel::ScopePtr;
using feel::TypePtr;
using feel::Value;

namespace {

// Step budget for one top-level evaluation (function calls and loop
// iterations): generous for real models, finite for runaway ones.
constexpr int64_t kEvaluationBudget = 10000000;

struct CDecision {
  const Decision* d = nullptr;
  Closure expr;
  TypePtr type;
  std::string label;
  std::vector<std::string> errors;
};

struct CInput {
  const InputData* d = nullptr;
  TypePtr type;
};

struct CBkm {
  const Bkm* b = nullptr;
  Closure logic;  // produces the function value in a scope
  std::string label;
};

struct CService {
  const DecisionService* s = nullptr;
  std::string label;
  TypePtr type;  // resolved at compile time: evaluation never touches the type cache
};

std::string Label(const char* kind, const std::string& name, const std::string& id) {
  return std::string(kind) + " '" + name + "' (" + id + ")";
}

// Splits "ns#id" into (ns, id); "#id" gives ("", id).
std::pair<std::string, std::string> SplitHref(const std::string& href) {
  size_t hash = href.find('#');
  if (hash == std::string::npos) return {"", href};
  return {href.substr(0, hash), href.substr(hash + 1)};
}

}  // namespace

struct Engine::Impl {
  struct Model {
    size_t index = 0;
    const Definitions* defs = nullptr;
    feel::CompileOptions opts;
    std::map<std::string, TypePtr> types;  // resolved typeRefs
    std::set<std::string> resolving;
    std::map<std::string, size_t> decision_by_id, input_by_id, bkm_by_id, service_by_id;
    std::vector<CDecision> decisions;
    std::vector<CInput> inputs;
    std::vector<CBkm> bkms;
    std::vector<CService> services;
    std::vector<Value> bkm_fns, service_fns;
    std::map<size_t, std::string> import_name;  // model index -> import prefix
    ScopePtr base;                              // BKMs and services as functions
  };

  std::vector<Definitions> defs;
  std::vector<std::unique_ptr<Model>> models;
  std::vector<std::string> problems;

  struct Session {
    EvalState* st;
    std::vector<std::string>* messages;
    const feel::Context* inputs;  // by name; imported models under their import name
    // EvaluateDecisionWithVariables: the variables, below the main model's decisions.
    feel::ScopePtr variables;
    std::map<std::pair<size_t, std::string>, Value> memo;
    std::set<std::pair<size_t, std::string>> active;
    bool failed = false;
  };

  // ---- compile ----

  std::optional<size_t> ModelByNamespace(const std::string& ns) const {
    for (const auto& m : models) {
      if (m->defs->namespace_ == ns) return m->index;
    }
    return std::nullopt;
  }

  // Resolves an href from model `from` to (model, id).
  std::optional<std::pair<size_t, std::string>> Resolve(size_t from, const std::string& href) const {
    auto [ns, id] = SplitHref(href);
    if (ns.empty() || ns == models[from]->defs->namespace_) return std::make_pair(from, id);
    auto m = ModelByNamespace(ns);
    if (!m) return std::nullopt;
    return std::make_pair(*m, id);
  }

  TypePtr ItemType(Model& m, const ItemDefinition& item) {
    TypePtr base;
    if (!item.components.empty()) {
      auto t = std::make_shared<feel::Type>();
      t->tag = feel::Type::Tag::kContext;
      for (const ItemDefinition& c : item.components) {
        TypePtr ct = ItemType(m, c);
        t->fields.emplace_back(c.name, ct ? ct : feel::Type::Of(feel::Type::Tag::kAny));
      }
      base = t;
    } else if (item.is_function) {
      base = feel::Type::Of(feel::Type::Tag::kFunction);
    } else if (!item.type_ref.empty()) {
      base = TypeOf(m, item.type_ref);
    }
    if (!base) base = feel::Type::Of(feel::Type::Tag::kAny);
    if (!item.allowed_values.empty()) {
      auto tests = feel::CompileUnaryTests(item.allowed_values, m.opts);
      if (tests.ok()) {
        auto t = std::make_shared<feel::Type>(*base);
        feel::CompiledUnaryTests ut = *tests;
        feel::TypePtr inner = base;
        t->constraint = [ut, inner](const Value& v) {
          if (inner->constraint && !inner->constraint(v)) return false;
          EvalState st;
          return ut.Test(v, nullptr, st).IsTrue();
        };
        base = t;
      } else {
        problems.push_back("item definition '" + item.name + "' (" + item.id +
                           ") allowed values: " + tests.error().message());
      }
    }
    if (item.is_collection) {
      auto l = std::make_shared<feel::Type>();
      l->tag = feel::Type::Tag::kList;
      l->element = base;
      return l;
    }
    return base;
  }

  // Type of a typeRef in model m: built-in, FEEL type syntax, item definition,
  // or "import.Type". nullptr if unknown.
  TypePtr TypeOf(Model& m, const std::string& ref) {
    if (ref.empty()) return nullptr;
    auto it = m.types.find(ref);
    if (it != m.types.end()) return it->second;
    if (m.resolving.count(ref)) return feel::Type::Of(feel::Type::Tag::kAny);  // recursive type
    m.resolving.insert(ref);
    TypePtr result;
    for (const ItemDefinition& item : m.defs->item_definitions) {
      if (item.name == ref) {
        result = ItemType(m, item);
        break;
      }
    }
    if (!result) {
      size_t dot = ref.find('.');
      if (dot != std::string::npos) {
        std::string prefix = ref.substr(0, dot);
        for (const auto& [idx, name] : m.import_name) {
          if (name == prefix) result = TypeOf(*models[idx], ref.substr(dot + 1));
        }
      }
    }
    if (!result) {
      auto parsed = feel::ParseType(ref, [this, &m](std::string_view n) -> TypePtr {
        std::string s(n);
        for (const ItemDefinition& item : m.defs->item_definitions) {
          if (item.name == s) return TypeOf(m, s);
        }
        return nullptr;
      });
      if (parsed.ok()) result = *parsed;
    }
    m.resolving.erase(ref);
    if (result) m.types[ref] = result;
    return result;
  }

  void CollectNames(const Expression* e, feel::NameSet& names) {
    if (!e) return;
    for (const auto& ce : e->entries) {
      if (!ce.variable.empty()) names.Add(ce.variable);
      CollectNames(ce.expression.get(), names);
    }
    for (const auto& b : e->bindings) {
      names.Add(b.parameter);
      CollectNames(b.expression.get(), names);
    }
    for (const auto& c : e->columns) names.Add(c);
    for (const auto& row : e->rows)
      for (const auto& cell : row) CollectNames(cell.get(), names);
    for (const auto& it : e->items) CollectNames(it.get(), names);
    for (const auto& p : e->parameters) names.Add(p.name);
    for (const auto& o : e->table.outputs) names.Add(o.name);
    if (!e->iterator.empty()) names.Add(e->iterator);
    CollectNames(e->body.get(), names);
  }

  void CollectItemNames(const ItemDefinition& item, feel::NameSet& names) {
    names.Add(item.name);
    for (const auto& c : item.components) CollectItemNames(c, names);
  }

  void AddModelNames(const Definitions& d, const std::string& prefix, feel::NameSet& names) {
    auto add = [&](const std::string& n) {
      names.Add(n);
      if (!prefix.empty()) names.Add(prefix + "." + n);
    };
    for (const auto& i : d.inputs) add(i.name);
    for (const auto& x : d.decisions) {
      add(x.name);
      CollectNames(x.expression.get(), names);
    }
    for (const auto& b : d.bkms) {
      add(b.name);
      CollectNames(b.logic.get(), names);
    }
    for (const auto& s : d.services) add(s.name);
    for (const auto& item : d.item_definitions) CollectItemNames(item, names);
  }

  void Compile() {
    for (size_t i = 0; i < defs.size(); ++i) {
      auto m = std::make_unique<Model>();
      m->index = i;
      m->defs = &defs[i];
      models.push_back(std::move(m));
    }
    // Import prefixes, then names (own and imported, qualified).
    for (auto& m : models) {
      for (const Import& imp : m->defs->imports) {
        if (auto idx = ModelByNamespace(imp.namespace_)) {
          m->import_name[*idx] = imp.name;
        } else if (imp.import_type.find("dmn") != std::string::npos ||
                   imp.import_type.find("DMN") != std::string::npos || imp.import_type.empty()) {
          problems.push_back("import '" + imp.name + "': no model with namespace " + imp.namespace_);
        }
      }
      AddModelNames(*m->defs, "", m->opts.names);
      for (const auto& [idx, name] : m->import_name) AddModelNames(*models[idx]->defs, name, m->opts.names);
      Model* mp = m.get();
      m->opts.types = [this, mp](std::string_view n) { return TypeOf(*mp, std::string(n)); };
    }
    for (auto& m : models) CompileModel(*m);
    for (auto& m : models) FindCycles(*m);
  }

  // Reports every decision that depends on itself through required
  // decisions (a static check; evaluation also stops at a cycle).
  void FindCycles(Model& m) {
    for (CDecision& cd : m.decisions) {
      auto start = std::make_pair(m.index, cd.d->id);
      std::set<std::pair<size_t, std::string>> seen;
      std::vector<std::pair<size_t, std::string>> stack = {start};
      bool cycle = false;
      while (!stack.empty() && !cycle) {
        auto [mi, id] = stack.back();
        stack.pop_back();
        Model& t = *models[mi];
        auto it = t.decision_by_id.find(id);
        if (it == t.decision_by_id.end()) continue;
        for (const Requirement& r : t.decisions[it->second].d->required_decisions) {
          auto ref = Resolve(mi, r.href);
          if (!ref) continue;
          if (*ref == start) {
            cycle = true;
            break;
          }
          if (seen.insert(*ref).second) stack.push_back(*ref);
        }
      }
      if (cycle) {
        std::string msg = cd.label + ": dependency cycle through its required decisions";
        cd.errors.push_back(msg);
        problems.push_back(msg);
      }
    }
  }

  void CompileModel(Model& m) {
    const Definitions& d = *m.defs;
    CompileEnv env;
    env.opts = &m.opts;
    env.type_of = [this, &m](const std::string& ref) { return TypeOf(m, ref); };
    for (size_t i = 0; i < d.inputs.size(); ++i) {
      m.input_by_id[d.inputs[i].id] = i;
      CInput ci;
      ci.d = &d.inputs[i];
      ci.type = TypeOf(m, d.inputs[i].type_ref);
      if (!d.inputs[i].type_ref.empty() && !ci.type)
        problems.push_back(Label("input data", d.inputs[i].name, d.inputs[i].id) + ": unknown type '" +
                           d.inputs[i].type_ref + "'");
      m.inputs.push_back(ci);
    }
    auto base = std::make_shared<feel::Scope>();
    for (size_t i = 0; i < d.bkms.size(); ++i) {
      const Bkm& b = d.bkms[i];
      m.bkm_by_id[b.id] = i;
      CBkm cb;
      cb.b = &b;
      cb.label = Label("business knowledge model", b.name, b.id);
      std::vector<std::string> errors;
      env.errors = &errors;
      env.label = cb.label;
      cb.logic = CompileBoxed(b.logic.get(), env);
      problems.insert(problems.end(), errors.begin(), errors.end());
      m.bkms.push_back(std::move(cb));
    }
    for (size_t i = 0; i < d.services.size(); ++i) {
      m.service_by_id[d.services[i].id] = i;
      m.services.push_back(CService{&d.services[i],
                                    Label("decision service", d.services[i].name, d.services[i].id),
                                    TypeOf(m, d.services[i].type_ref)});
    }
    for (size_t i = 0; i < d.decisions.size(); ++i) {
      const Decision& x = d.decisions[i];
      m.decision_by_id[x.id] = i;
      CDecision cd;
      cd.d = &x;
      cd.label = Label("decision", x.name, x.id);
      env.errors = &cd.errors;
      env.label = cd.label;
      cd.expr = CompileBoxed(x.expression.get(), env);
      cd.type = TypeOf(m, x.type_ref);
      if (!x.type_ref.empty() && !cd.type)
        cd.errors.push_back(cd.label + ": unknown type '" + x.type_ref + "'");
      for (const Requirement& r : x.required_decisions) CheckRef(m, r, cd.label, cd.errors);
      for (const Requirement& r : x.required_inputs) CheckRef(m, r, cd.label, cd.errors);
      for (const Requirement& r : x.required_knowledge) CheckRef(m, r, cd.label, cd.errors);
      problems.insert(problems.end(), cd.errors.begin(), cd.errors.end());
      m.decisions.push_back(std::move(cd));
    }
    // Function values: BKMs evaluate their logic in the base scope; decision
    // services run a nested DRG evaluation. They hold raw pointers to this
    // Impl, which outlives them (the base scope is owned by the model).
    for (size_t i = 0; i < m.bkms.size(); ++i) {
      EvalState st;
      Value f = m.bkms[i].logic(base, st);
      if (!f.is_function()) {
        auto fn = std::make_shared<feel::Function>();
        fn->name = m.bkms[i].b->name;
        std::string label = m.bkms[i].label;
        fn->call = [label](EvalState& s, std::span<const Value>) {
          s.Warn(label + " has no logic");
          return Value();
        };
        fn->signatures.push_back(feel::Signature{{}, 0, true, nullptr});
        f = Value::OfFunction(fn);
      } else if (TypePtr rt = TypeOf(m, m.bkms[i].b->type_ref);
                 rt && rt->tag != feel::Type::Tag::kFunction) {
        // The BKM's variable type is its result type.
        auto inner = f.as_function();
        auto fn = std::make_shared<feel::Function>(*inner);
        std::string label = m.bkms[i].label;
        fn->call = [inner, rt, label](EvalState& s, std::span<const Value> a) {
          return Coerce(inner->call(s, a), rt, s, label);
        };
        f = Value::OfFunction(fn);
      }
      m.bkm_fns.push_back(f);
      // The model owns the function; the scope it closes over refers to it weakly.
      base->Set(m.bkms[i].b->name, feel::WeakBinding(f));
    }
    for (size_t i = 0; i < m.services.size(); ++i) {
      Value f = ServiceFunction(m, i);
      m.service_fns.push_back(f);
      base->Set(m.services[i].s->name, f);
    }
    m.base = base;
  }

  void CheckRef(const Model& m, const Requirement& r, const std::string& label,
                std::vector<std::string>& errors) {
    auto ref = Resolve(m.index, r.href);
    if (!ref) {
      errors.push_back(label + ": unknown reference '" + r.href + "'");
      return;
    }
    const Model& t = *models[ref->first];
    const std::string& id = ref->second;
    if (!t.decision_by_id.count(id) && !t.input_by_id.count(id) && !t.bkm_by_id.count(id) &&
        !t.service_by_id.count(id) && !t.defs->decisions.empty()) {
      // Decisions of a later model are not indexed yet; check the definitions.
      bool found = false;
      for (const auto& x : t.defs->decisions) found = found || x.id == id;
      for (const auto& x : t.defs->inputs) found = found || x.id == id;
      for (const auto& x : t.defs->bkms) found = found || x.id == id;
      for (const auto& x : t.defs->services) found = found || x.id == id;
      if (!found) errors.push_back(label + ": unknown reference '" + r.href + "'");
    }
  }

  Value ServiceFunction(Model& m, size_t i) {
    const DecisionService& s = *m.services[i].s;
    // Parameters: input data first, then input decisions (as the TCK invokes them).
    std::vector<std::string> params;
    for (const Requirement& r : s.input_data) {
      auto ref = Resolve(m.index, r.href);
      if (ref && models[ref->first]->input_by_id.count(ref->second))
        params.push_back(models[ref->first]->defs->inputs[models[ref->first]->input_by_id.at(ref->second)].name);
    }
    for (const Requirement& r : s.input_decisions) {
      auto ref = Resolve(m.index, r.href);
      if (ref && models[ref->first]->decision_by_id.count(ref->second))
        params.push_back(models[ref->first]->defs->decisions[models[ref->first]->decision_by_id.at(ref->second)].name);
    }
    auto fn = std::make_shared<feel::Function>();
    fn->name = s.name;
    fn->signatures.push_back(feel::Signature{params, params.size(), false, nullptr});
    Model* mp = &m;
    fn->call = [this, mp, i, params](EvalState& st, std::span<const Value> args) {
      feel::Context in;
      for (size_t k = 0; k < params.size(); ++k) in.Put(params[k], k < args.size() ? args[k] : Value());
      std::vector<std::string> msgs;
      bool bad_argument = false;
      feel::Context out = RunService(*mp, i, in, st, &msgs, nullptr, &bad_argument);
      for (auto& msg : msgs) st.Warn(msg);
      // An argument that does not conform to its type means no invocation.
      if (bad_argument) return Value();
      return ServiceResult(*mp, i, std::move(out), st);
    };
    return Value::OfFunction(fn);
  }

  // ---- evaluate ----

  const Value* InputValue(const Session& s, size_t model, const std::string& name) const {
    if (model == 0) return s.inputs->Find(name);
    auto it = models[0]->import_name.find(model);
    if (it != models[0]->import_name.end()) {
      if (const Value* ctx = s.inputs->Find(it->second); ctx && ctx->is_context()) {
        if (const Value* v = ctx->as_context().Find(name)) return v;
      }
    }
    return s.inputs->Find(name);
  }

  // Places `v` named `name` of model `target` into the scope of model `from`:
  // directly if same model, else under the import prefix.
  void Bind(size_t from, size_t target, const std::string& name, const Value& v, feel::Scope& scope,
            std::map<std::string, feel::Context>& imported) {
    if (from == target) {
      scope.Set(name, v);
      return;
    }
    auto it = models[from]->import_name.find(target);
    if (it == models[from]->import_name.end()) {
      scope.Set(name, v);
      return;
    }
    imported[it->second].Put(name, v);
  }

  Value EvalInput(Session& s, size_t model, size_t idx) {
    const CInput& ci = models[model]->inputs[idx];
    const Value* v = InputValue(s, model, ci.d->name);
    Value val = v ? *v : Value();
    if (!ci.type) return val;
    return Coerce(val, ci.type, *s.st, Label("input data", ci.d->name, ci.d->id));
  }

  Value EvalDecision(Session& s, size_t model, const std::string& id) {
    auto key = std::make_pair(model, id);
    if (auto it = s.memo.find(key); it != s.memo.end()) return it->second;
    Model& m = *models[model];
    auto di = m.decision_by_id.find(id);
    if (di == m.decision_by_id.end()) {
      s.messages->push_back("unknown decision id '" + id + "'");
      s.failed = true;
      return Value();
    }
    const CDecision& cd = m.decisions[di->second];
    if (s.active.count(key)) {
      s.messages->push_back(cd.label + ": dependency cycle");
      s.failed = true;
      return Value();
    }
    if (!cd.errors.empty()) {
      for (const auto& e : cd.errors) s.messages->push_back(e);
      s.failed = true;
    }
    s.active.insert(key);
    auto scope = std::make_shared<feel::Scope>(model == 0 && s.variables ? s.variables : m.base);
    std::map<std::string, feel::Context> imported;
    for (const Requirement& r : cd.d->required_knowledge) {
      auto ref = Resolve(model, r.href);
      if (!ref) continue;
      Model& t = *models[ref->first];
      if (auto b = t.bkm_by_id.find(ref->second); b != t.bkm_by_id.end()) {
        Bind(model, ref->first, t.bkms[b->second].b->name, t.bkm_fns[b->second], *scope, imported);
      } else if (auto sv = t.service_by_id.find(ref->second); sv != t.service_by_id.end()) {
        Bind(model, ref->first, t.services[sv->second].s->name, t.service_fns[sv->second], *scope,
             imported);
      }
    }
    for (const Requirement& r : cd.d->required_inputs) {
      auto ref = Resolve(model, r.href);
      if (!ref) continue;
      Model& t = *models[ref->first];
      if (auto in = t.input_by_id.find(ref->second); in != t.input_by_id.end()) {
        Bind(model, ref->first, t.inputs[in->second].d->name, EvalInput(s, ref->first, in->second),
             *scope, imported);
      }
    }
    for (const Requirement& r : cd.d->required_decisions) {
      auto ref = Resolve(model, r.href);
      if (!ref) continue;
      Model& t = *models[ref->first];
      if (auto dd = t.decision_by_id.find(ref->second); dd != t.decision_by_id.end()) {
        Value v = EvalDecision(s, ref->first, ref->second);
        Bind(model, ref->first, t.decisions[dd->second].d->name, v, *scope, imported);
      }
    }
    for (auto& [prefix, ctx] : imported) {
      // Merge with functions of the imported model already bound under the prefix.
      scope->Set(prefix, Value::OfContext(std::move(ctx)));
    }
    Value v = cd.expr(scope, *s.st);
    v = Coerce(v, cd.type, *s.st, cd.label);
    s.active.erase(key);
    s.memo[key] = v;
    return v;
  }

  // The value of a service invocation: its single output decision's value or
  // a context of all of them, coerced to the service's declared type.
  Value ServiceResult(Model& m, size_t i, feel::Context out, EvalState& st) {
    Value v = out.size() == 1 ? out.entries()[0].second : Value::OfContext(std::move(out));
    return Coerce(v, m.services[i].type, st, m.services[i].label);
  }

  feel::Context RunService(Model& m, size_t i, const feel::Context& params, EvalState& st,
                           std::vector<std::string>* messages, bool* failed,
                           bool* bad_argument = nullptr) {
    const DecisionService& svc = *m.services[i].s;
    Session s;
    s.st = &st;
    s.messages = messages;
    // Input data come from the parameters; input decisions are fixed to them.
    feel::Context inputs;
    for (const Requirement& r : svc.input_data) {
      auto ref = Resolve(m.index, r.href);
      if (!ref) continue;
      Model& t = *models[ref->first];
      if (auto in = t.input_by_id.find(ref->second); in != t.input_by_id.end()) {
        const std::string& name = t.inputs[in->second].d->name;
        const Value* v = params.Find(name);
        Value c = Coerce(v ? *v : Value(), t.inputs[in->second].type, st,
                         Label("input data", name, t.inputs[in->second].d->id));
        if (bad_argument && v && !v->is_null() && c.is_null()) *bad_argument = true;
        inputs.Put(name, c);
      }
    }
    s.inputs = &inputs;
    for (const Requirement& r : svc.input_decisions) {
      auto ref = Resolve(m.index, r.href);
      if (!ref) continue;
      Model& t = *models[ref->first];
      if (auto dd = t.decision_by_id.find(ref->second); dd != t.decision_by_id.end()) {
        const CDecision& cd = t.decisions[dd->second];
        const Value* v = params.Find(cd.d->name);
        Value c = Coerce(v ? *v : Value(), cd.type, st, cd.label);
        if (bad_argument && v && !v->is_null() && c.is_null()) *bad_argument = true;
        s.memo[*ref] = c;
      }
    }
    feel::Context out;
    for (const Requirement& r : svc.output_decisions) {
      auto ref = Resolve(m.index, r.href);
      if (!ref) {
        messages->push_back(m.services[i].label + ": unknown output decision '" + r.href + "'");
        if (failed) *failed = true;
        continue;
      }
      Model& t = *models[ref->first];
      auto dd = t.decision_by_id.find(ref->second);
      if (dd == t.decision_by_id.end()) continue;
      out.Put(t.decisions[dd->second].d->name, EvalDecision(s, ref->first, ref->second));
    }
    if (failed && s.failed) *failed = true;
    return out;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

core::Result<std::unique_ptr<Engine>> Engine::Create(std::vector<Definitions> models) {
  if (models.empty()) return core::InvalidArgument("no DMN model given");
  auto impl = std::make_unique<Impl>();
  impl->defs = std::move(models);
  impl->Compile();
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

const Definitions& Engine::main() const { return impl_->defs[0]; }
const std::vector<std::string>& Engine::problems() const { return impl_->problems; }

// `variables`, when given, are the caller's whole scope (process variables):
// decisions may read names they do not declare as input data.
EvalResult Engine::Evaluate(std::string_view name, const feel::Context& inputs, bool as_variables) const {
  EvalResult r;
  const Impl::Model& m = *impl_->models[0];
  std::string id;
  for (const auto& d : m.defs->decisions) {
    if (d.name == name || d.id == name) id = d.id;
  }
  if (id.empty()) {
    r.ok = false;
    r.messages.push_back("no decision named '" + std::string(name) + "'");
    return r;
  }
  EvalState st;
  st.budget = kEvaluationBudget;
  Impl::Session s;
  s.st = &st;
  s.messages = &r.messages;
  s.inputs = &inputs;
  if (as_variables) s.variables = feel::ScopeOf(inputs, m.base);
  r.value = impl_->EvalDecision(s, 0, id);
  r.ok = !s.failed;
  r.messages.insert(r.messages.end(), st.warnings().begin(), st.warnings().end());
  return r;
}

EvalResult Engine::EvaluateDecision(std::string_view name, const feel::Context& inputs) const {
  return Evaluate(name, inputs, false);
}

EvalResult Engine::EvaluateDecisionWithVariables(std::string_view name, const feel::Context& variables) const {
  return Evaluate(name, variables, true);
}

EvalResult Engine::EvaluateAll(const feel::Context& inputs) const {
  EvalResult r;
  EvalState st;
  st.budget = kEvaluationBudget;
  Impl::Session s;
  s.st = &st;
  s.messages = &r.messages;
  s.inputs = &inputs;
  feel::Context out;
  for (const auto& d : impl_->models[0]->defs->decisions) {
    out.Put(d.name, impl_->EvalDecision(s, 0, d.id));
  }
  r.value = Value::OfContext(std::move(out));
  r.ok = !s.failed;
  r.messages.insert(r.messages.end(), st.warnings().begin(), st.warnings().end());
  return r;
}

EvalResult Engine::EvaluateService(std::string_view name, const feel::Context& params) const {
  EvalResult r;
  Impl::Model& m = *impl_->models[0];
  for (size_t i = 0; i < m.services.size(); ++i) {
    if (m.services[i].s->name == name || m.services[i].s->id == name) {
      EvalState st;
      st.budget = kEvaluationBudget;
      bool failed = false;
      feel::Context out = impl_->RunService(m, i, params, st, &r.messages, &failed);
      if (!m.services[i].s->type_ref.empty()) {
        // Output decisions by name, each checked against the service type when
        // the service has a single output.
        if (out.size() == 1) {
          Value v = impl_->ServiceResult(m, i, out, st);
          feel::Context single;
          single.Put(out.entries()[0].first, v);
          out = std::move(single);
        }
      }
      r.value = Value::OfContext(std::move(out));
      r.ok = !failed;
      r.messages.insert(r.messages.end(), st.warnings().begin(), st.warnings().end());
      return r;
    }
  }
  r.ok = false;
  r.messages.push_back("no decision service named '" + std::string(name) + "'");
  return r;
}

feel::TypePtr Engine::InputType(std::string_view name) const {
  for (const CInput& ci : impl_->models[0]->inputs) {
    if (ci.d->name == name) return ci.type;
  }
  return nullptr;
}

core::Result<std::unique_ptr<Engine>> ImportDmn(std::string_view xml,
                                                const std::vector<std::string>& imported) {
  std::vector<Definitions> defs;
  AW_ASSIGN_OR_RETURN(Definitions main, ParseDmnXml(xml));
  defs.push_back(std::move(main));
  for (const std::string& other : imported) {
    AW_ASSIGN_OR_RETURN(Definitions d, ParseDmnXml(other));
    defs.push_back(std::move(d));
  }
  return Engine::Create(std::move(defs));
}

}  // namespace amtsweg::dmn
