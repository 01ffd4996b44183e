"""Whether a Keras answer is the student's own: the notebook's code (read with ``ast``,
never run) must not build the model through the course's code (Labs 1-7's Keras exercises).

A model made by ``Network(...).to_keras()`` is a plain ``keras.Sequential``: nothing in the
model shows where it came from, so the rule is read from the code. :func:`course_route` finds
the statements that build the answer (those that bind its name, and those after the last one
that mention it: ``add``, ``compile``, ``fit``, ``set_weights``, a helper it is passed to) and
follows, transitively, the names they use to the statements that bind them (assignments,
tuple unpacking, ``for``/``with`` targets, imports, functions, classes and lambdas defined in
the notebook, with their defaults, decorators and bodies) and to those that may change the
objects they name (a method call, an attribute or item stored, an alias, a helper that
mentions them). The answer is refused when that flow reaches:

- the course's code: a name bound by ``import utils...``/``from utils... import ...`` (the
  checkers included), except what the exercise hands over (``utils.data`` and what its own
  functions return, for an exercise that fits on the lab's data), or any ``.to_keras``;
- what the analysis cannot follow: a name not defined in the notebook's code (IPython's
  ``Out``, ``_``), a module outside :data:`FOLLOWED_MODULES`, a file loaded (``load_model``,
  ``load_weights``, ``np.load``, ``pickle``), attribute names built at run time (``getattr``
  and its kin with a non-literal name), double-underscore attributes, a function that
  rebinds a global.

Code that can change any name unseen (``exec``, ``eval``, ``compile``, ``globals()``,
``locals()``, ``vars()``, ``__import__``, ``importlib.import_module``, ``sys.modules``,
``sys.path``, ``get_ipython()`` and the magics and shell commands IPython turns into it, frames,
``__dict__``, ``builtins``, ``__main__``) refuses the answer wherever it is in the notebook,
since it could rebuild the model after the code the grader reads (``%matplotlib`` is let
through).
"""

from __future__ import annotations

import ast
import builtins
import importlib
import types
from dataclasses import dataclass, field

COURSE_ROOTS = ("utils", "tools")
# Modules a model's code may use, whose code the rule trusts not to reach the course's.
FOLLOWED_MODULES = frozenset(
    {"keras", "tensorflow", "numpy", "math", "random", "functools", "itertools", "operator"}
    | {"collections", "contextlib", "copy", "dataclasses", "typing", "warnings", "abc", "enum"}
    | {"matplotlib", "IPython", "sklearn", "scipy"}  # what a model's results are shown with
)
# Modules that share objects: a change made through one is a change to the other.
_KERAS = frozenset({"keras", "tensorflow"})
_FAMILIES = {"keras": _KERAS, "tensorflow": _KERAS}
# Names whose use anywhere may rebind any name, the model's included.
_DYNAMIC_NAMES = frozenset(
    {"exec", "eval", "compile", "globals", "locals", "vars", "get_ipython", "__import__"}
    | {"breakpoint", "__builtins__", "__build_class__", "__loader__", "__spec__"}
)
_DYNAMIC_ATTRIBUTES = frozenset(
    {"modules", "_getframe", "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame"}
    | {"cr_frame", "tb_frame", "__dict__", "__globals__", "__builtins__", "__code__"}
    | {"__closure__", "__defaults__", "__kwdefaults__", "user_ns", "user_global_ns"}
    | {"get_ipython", "import_module", "reload", "exec_module", "run_path", "run_module"}
    | {"__subclasses__", "__import__", "load_module", "zipimporter", "run_cell", "push"}
    | {"run_cell_async", "run_line_magic", "run_cell_magic", "safe_execfile", "ex", "ev"}
)
_IMPORT_SYSTEM = ("path", "meta_path", "path_hooks", "path_importer_cache", "modules")
_DYNAMIC_MODULES = frozenset({"builtins", "__main__", "ctypes", "gc", "runpy", "code", "codeop"})
# Names of what reads a file or bytes made elsewhere, called or passed around.
_LOADERS = frozenset(
    {"load_model", "load_weights", "load", "loads", "loadtxt", "genfromtxt", "fromfile"}
    | {"read_text", "read_bytes", "restore", "open", "memmap", "open_memmap", "read_file"}
    | {"GFile"}
)
_BY_NAME = {"getattr": 1, "setattr": 1, "delattr": 1, "hasattr": 1}  # the attribute's argument
_BY_NAME_OPERATOR = ("attrgetter", "methodcaller")
# Calls that only read their arguments: an argument is data to them.
_READERS = frozenset(
    {"print", "len", "isinstance", "type", "id", "repr", "str", "int", "float", "bool"}
    | {"round", "abs", "min", "max", "sum", "sorted", "display"}
)
_IN_PLACE = ("sort", "fill", "resize", "put", "partition", "itemset", "setfield", "setflags")
_FIT_DATA = ("x", "y", "validation_data", "sample_weight", "class_weight")
_PLAIN_DUNDERS = ("__init__", "__name__")
_IPYTHON_NAMES = ("display",)  # names IPython defines in every session
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
MAX_STEPS = 1_000_000  # units looked at in following a flow (the labs' solutions: < 3,000)


@dataclass
class _Unit:
    """One step of the notebook's top-level code: a simple statement, a ``def``/``class``, or
    a compound statement's header (``nodes``); the names it binds, whether it always
    rebinds them (``kills``), and the last unit of the outermost loop around it (``loop_end``)."""

    nodes: list
    binds: frozenset
    kills: bool
    loop_end: int
    parents: dict = field(default_factory=dict)


def _stored_names(nodes):
    """Names the ``nodes`` bind in the notebook's scope (not in functions, lambdas, classes
    or comprehensions they hold; a def or class binds its own name)."""
    names, todo = set(), list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.comprehension):
            todo.extend([node.iter, *node.ifs])  # its target is the comprehension's own
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, _DEFINITIONS):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        if not isinstance(node, (ast.Lambda, *_DEFINITIONS)):
            todo.extend(ast.iter_child_nodes(node))
    return frozenset(names)


_KILLERS = (ast.Assign, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def _flatten(statements, units, nested, loop):
    """Append to ``units`` one :class:`_Unit` per simple statement or compound header of
    ``statements`` (``nested``: inside a compound statement; ``loop``: the outermost loop's
    first unit, or None)."""
    for statement in statements:
        headers, bodies = _parts(statement)
        if bodies is None:
            kills = not nested and (
                isinstance(statement, _KILLERS)
                or isinstance(statement, ast.AnnAssign)
                and statement.value is not None
            )
            units.append(_Unit([statement], _stored_names([statement]), kills, -1))
            continue
        is_loop = isinstance(statement, (ast.For, ast.AsyncFor, ast.While))
        first = len(units)
        inner = first if is_loop and loop is None else loop
        units.append(_Unit(headers, _stored_names(headers), False, -1))
        for body in bodies:
            _flatten(body, units, True, inner)
        if inner == first:
            for unit in units[first:]:
                unit.loop_end = len(units) - 1


def _parts(statement):
    """A compound statement's header nodes and bodies; (None, None) for a simple one."""
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test], [statement.body, statement.orelse]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.target, statement.iter], [statement.body, statement.orelse]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return list(statement.items), [statement.body]
    if isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        handlers = statement.handlers
        caught = [h.type for h in handlers if h.type is not None]
        caught += [ast.Name(h.name, ast.Store()) for h in handlers if h.name]
        bodies = [statement.body, *[h.body for h in handlers]]
        return caught, [*bodies, statement.orelse, statement.finalbody]
    if isinstance(statement, ast.Match):
        return [
            statement.subject,
            *[c.pattern for c in statement.cases],
            *[c.guard for c in statement.cases if c.guard],
        ], [c.body for c in statement.cases]
    return None, None


def _units(cells):
    """The :class:`_Unit` s of ``cells`` (code cells' sources, in the order they ran), IPython's
    magics turned into the Python they run; a cell with a syntax error never ran. A cell
    the parser gives up on (RecursionError: its depth limit shrinks with the caller's stack,
    so the kernel may have run it), or fails on anything but syntax, raises
    :class:`_Refused`."""
    from IPython.core.inputtransformer2 import TransformerManager  # IPython only when reading code

    units = []
    for cell in cells:
        try:
            tree = ast.parse(TransformerManager().transform_cell(cell))
        except SyntaxError:  # every parser refuses it alike: the cell never ran
            continue
        except Exception:  # noqa: BLE001 - RecursionError, MemoryError, ...: it may have run
            raise _Refused(
                "is built in a cell the grader cannot parse (nested too deep?)"
            ) from None
        _flatten(tree.body, units, False, None)
    for k, unit in enumerate(units):
        unit.loop_end = max(unit.loop_end, k)
        unit.parents = {
            c: p for n in unit.nodes for p in ast.walk(n) for c in ast.iter_child_nodes(p)
        }
    return units


# ---------------------------------------------------------------- what a name's use is


@dataclass(frozen=True)
class _Use:
    """A name used in a unit: ``chain`` its dotted attributes (``network.Network``); whether
    it is the root of a store (``stores``: ``m.x = ...``, ``m[0] += ...``, ``setattr(m, ...)``)
    or of a call (``calls``: the method called, ``"add"`` for ``m.add(...)``, ``"()"`` for
    ``m(...)``); whether it is data to a reader or to ``fit`` (``data``), only read
    (``read``: an argument of a reader, ``print``, ``len``...), and inside a function,
    lambda or class body (``deferred``)."""

    name: str
    chain: str
    stores: bool
    calls: str | None
    data: bool
    read: bool
    deferred: bool


def _uses(unit, readers):
    """Every :class:`_Use` of a name in ``unit`` (those that only rebind it aside);
    ``readers``: the builtins that only read their arguments, as the notebook leaves them."""
    found = []
    for node in unit.nodes:
        for name in ast.walk(node):
            if isinstance(name, ast.Name) and not _rebinds(name, unit.parents):
                found.append(_use(name, unit.parents, readers))
    return found


def _rebinds(name, parents):
    """Whether ``name`` is only bound there (``x = ...``, not ``x += ...``)."""
    parent = parents.get(name)
    augmented = isinstance(parent, ast.AugAssign) and parent.target is name
    return isinstance(name.ctx, (ast.Store, ast.Del)) and not augmented


def _use(name, parents, readers):
    node, chain, stores, calls = name, [name.id], False, None
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            if len(chain) == _depth(node):
                chain.append(parent.attr)
        elif isinstance(parent, ast.Call) and parent.func is node:
            calls = node.attr if isinstance(node, ast.Attribute) else "()"
        elif not (isinstance(parent, ast.Subscript) and parent.value is node):
            break
        node = parent
    parent = parents.get(node)
    if node is not name and isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)):
        stores = True
    elif isinstance(parent, ast.AugAssign) and parent.target is node:
        stores = True
    elif isinstance(parent, ast.Call) and parent.args[:1] == [node]:
        stores = isinstance(parent.func, ast.Name) and parent.func.id in ("setattr", "delattr")
    data = read = deferred = False
    child = name
    while child in parents:
        parent = parents[child]
        if isinstance(parent, (ast.Lambda, *_DEFINITIONS)):
            deferred = True
        if isinstance(parent, ast.Call) and child is not parent.func:
            kind = _argument_kind(parent, child, readers)
            read = read or kind == "read"
            data = data or kind is not None
        child = parent
    return _Use(name.id, ".".join(chain), stores, calls, data, read, deferred)


def _depth(node):
    """How many names a pure attribute chain ``node`` holds (``a.b.c``: 3; -1 if not one)."""
    count = 1
    while isinstance(node, ast.Attribute):
        count, node = count + 1, node.value
    return count if isinstance(node, ast.Name) else -1


def _argument_kind(call, child, readers):
    """What ``child`` (an argument of ``call``) is: ``"read"`` by one of ``readers``,
    ``"fit"`` (the data of a ``fit``), or None."""
    if isinstance(call.func, ast.Name) and call.func.id in readers:
        return "read"
    if isinstance(call.func, ast.Attribute) and call.func.attr == "fit":
        data = child in call.args[:2] or isinstance(child, ast.keyword) and child.arg in _FIT_DATA
        return "fit" if data else None
    return None


# ---------------------------------------------------------------- following the flow


class _Refused(Exception):
    """The flow reaches what the rule refuses: ``reason`` (the message's middle part)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class _Flow:
    """The answer's flow through ``units``; :meth:`follow` raises :class:`_Refused`."""

    def __init__(self, units, answer, handed):
        self.units, self.answer, self.handed = units, answer, tuple(handed)
        self.seen, self.included, self.touchers = set(), set(), {}
        self.to_keras, self._patches, self.steps = False, {}, 0
        self.bound = {name for unit in units for name in unit.binds}
        self.uses = [_uses(unit, _READERS - self.bound) for unit in units]
        self.globals = {
            g
            for unit in units
            for node in unit.nodes
            for n in ast.walk(node)
            if isinstance(n, (ast.Global, ast.Nonlocal))
            for g in n.names
        }

    def bindings(self, name, pos, deferred):
        """The units that may have bound ``name`` for a use in unit ``pos`` (every one in the
        notebook when ``deferred``): back to the last that always rebinds it, and those later
        in the loop around ``pos``."""
        end = len(self.units) if deferred else pos
        self.spend(end)
        found = []
        for k in range(end - 1, -1, -1):
            unit = self.units[k]
            if name in unit.binds or _star_import(unit):
                found.append(k)
                if unit.kills and name in unit.binds and not deferred:
                    break
        if pos < len(self.units) and not deferred:
            last = self.units[pos].loop_end
            found += [k for k in range(pos, last + 1) if name in self.units[k].binds]
        return sorted(set(found))

    def follow(self, name, pos, data, deferred, chain):
        """Follow the use of ``name`` (``chain``: with its attributes) in unit ``pos``
        (``data``: as data; ``deferred``: in a body that may run at any time)."""
        if name in self.globals:
            raise _Refused(f"is built with {name}, which a function rebinds (global {name})")
        key = (name, None if deferred else pos, data, chain)
        if key in self.seen:
            return
        self.seen.add(key)
        found = self.bindings(name, pos, deferred)
        if not found:
            if name in _IPYTHON_NAMES or hasattr(builtins, name) and not name.startswith("__"):
                return
            raise _Refused(f"is built with {name}, which is not defined in the notebook's code")
        plain = False
        for k in found:
            imported = _imported(self.units[k], name)
            if imported is not None:
                self.reach(imported + chain[len(name) :])
                continue
            plain = plain or not isinstance(self.units[k].nodes[0], _DEFINITIONS)
            self.include(k, data)
        kind = _Kind(plain, data)
        # A value the model may hold can be changed until the end, whatever holds it then.
        end = len(self.units) if deferred or plain and not data else pos
        self.changes(name, found[0], end, kind)

    def changes(self, name, start, end, kind):
        """Include the units in (``start``, ``end``) that may change what ``name`` holds
        (:meth:`_Kind.touches`, or a call of a notebook function that does), and, for a
        value the model may hold, those that change an alias made there."""
        touchers = self._touchers(name, kind)
        self.spend(end - start)
        for k in range(start + 1, end):
            uses = self.uses[k]
            mine = [u for u in uses if u.name == name]
            if not (any(kind.touches(u) for u in mine) or any(u.name in touchers for u in uses)):
                continue
            self.include(k, kind.data)
            if kind.plain and not kind.data:
                for alias in self.units[k].binds - {name}:
                    if ("alias", alias, k, end) not in self.seen:
                        self.seen.add(("alias", alias, k, end))
                        self.changes(alias, k, end, kind)

    def spend(self, steps):
        """Count ``steps`` of the analysis; refuse past :data:`MAX_STEPS` (a notebook's code
        is at most 200,000 characters, but its flow could be made costly to follow)."""
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise _Refused("is built by more code than the grader follows")

    def _touchers(self, name, kind):
        """The names of the notebook's functions, classes and lambdas whose bodies change
        ``name`` or call one that does (a fixed point)."""
        key = (name, kind)
        if key not in self.touchers:
            found, grew = set(), True
            while grew:
                self.spend(len(self.units))
                grew = False
                for unit, uses in zip(self.units, self.uses, strict=True):
                    touching = any(
                        (u.deferred and u.name == name and kind.touches(u)) or u.name in found
                        for u in uses
                    )
                    if touching and not unit.binds <= found:
                        found |= unit.binds
                        grew = True
            self.touchers[key] = found
        return self.touchers[key]

    def include(self, k, data):
        """Check unit ``k`` and follow the names it uses."""
        if (k, data) in self.included:
            return
        self.included.add((k, data))
        self.check(self.units[k])
        local = _local_names(self.units[k]) - self.bound
        for use in self.uses[k]:
            if use.name not in local and not self.is_checker_call(use, k):
                self.follow(use.name, k, data or use.data, use.deferred, use.chain)

    def is_checker_call(self, use, k):
        """Whether ``use`` is the exercise's own checker, called (``check_model(model)``)."""
        if use.name != f"check_{self.answer}" or use.chain != use.name or use.calls != "()":
            return False
        paths = [_imported(self.units[b], use.name) for b in self.bindings(use.name, k, False)]
        return all(p is not None and p.startswith("utils.exercises.") for p in paths)

    def check(self, unit):
        """Refuse what a unit of the flow does that the rule cannot follow."""
        for node in (n for top in unit.nodes for n in ast.walk(top)):
            name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                name = node.value  # getattr(x, "...") and its kin
            if name == "to_keras":
                self.to_keras = True
            elif name in _LOADERS:
                raise _Refused(f"is built from a file ({name}), which the grader cannot read")
            elif isinstance(node, ast.Attribute) and name.startswith("__"):
                if name not in _PLAIN_DUNDERS:
                    raise _Refused(f"is built with {name}, which the grader cannot follow")
            elif isinstance(node, ast.Call):
                _check_by_name(node)
            elif _by_name(node) and not _called(node, unit.parents):
                raise _Refused(f"is built with {_by_name(node)}, which the grader cannot follow")
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and node is not unit.nodes[0]:
                for alias in node.names:
                    self.reach(_import_path(node, alias))

    def reach(self, path):
        """Refuse ``path`` (a dotted module path with the attributes used) if it is the
        course's and not handed over, or a module the rule does not follow."""
        root = path.split(".")[0]
        if root in COURSE_ROOTS:
            if not _is_handed_over(path, self.handed):
                raise _Refused(f"uses the course's {path}")
        elif root not in FOLLOWED_MODULES:
            raise _Refused(f"is built with the module {root}, which the grader does not follow")
        else:
            for k in self.patches(_FAMILIES.get(root, frozenset({root}))):
                self.include(k, False)

    def patches(self, roots):
        """The units that store into what an import from ``roots`` binds
        (``keras.Sequential = ...``, ``setattr(Dense, "call", ...)``): they change a module or
        class for every name bound to it."""
        if roots not in self._patches:
            imported = {
                name
                for k, unit in enumerate(self.units)
                for name in unit.binds
                if (_imported(unit, name) or "").split(".")[0] in roots
            }
            self._patches[roots] = [
                k
                for k, uses in enumerate(self.uses)
                if any(u.stores and u.name in imported for u in uses)
            ]
        return self._patches[roots]


@dataclass(frozen=True)
class _Kind:
    """How a followed name's value may change: ``plain`` (a value the code made, not a
    module, function or class it imported or defined), ``data`` (followed as data)."""

    plain: bool
    data: bool

    def touches(self, use):
        """Whether ``use`` may change the value: a store into it; for a plain value an
        in-place method (data: ``X.sort()``) or any method call; for a plain value the
        model may hold, any use but an argument of a reader."""
        if not self.plain:
            return use.stores
        if self.data:
            return use.stores or use.calls in _IN_PLACE
        return use.stores or use.calls is not None or not use.read


def _local_names(unit):
    """Names bound anywhere in ``unit``, in the functions, lambdas, classes and
    comprehensions it holds too (parameters, targets, inner definitions)."""
    names = set()
    for node in (n for top in unit.nodes for n in ast.walk(top)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (*_DEFINITIONS, ast.ExceptHandler)) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _by_name(node):
    """``getattr`` (or its kin) when ``node`` names one, else None."""
    if isinstance(node, ast.Name) and node.id in _BY_NAME:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in _BY_NAME_OPERATOR:
        return node.attr
    return None


def _called(node, parents):
    parent = parents.get(node)
    return isinstance(parent, ast.Call) and parent.func is node


def _is_import(unit):
    return isinstance(unit.nodes[0], (ast.Import, ast.ImportFrom))


def _star_import(unit):
    node = unit.nodes[0]
    return isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)


def _import_path(node, alias):
    """The dotted path an import's ``alias`` binds (``from a.b import c`` -> ``a.b.c``)."""
    if isinstance(node, ast.Import):
        return alias.name if alias.asname else alias.name.split(".")[0]
    module = "." * node.level + (node.module or "")
    return f"{module}.{alias.name}"


def _imported(unit, name):
    """What the top-level import ``unit`` binds to ``name`` (a dotted path), or None when
    it is no import binding ``name``."""
    node = unit.nodes[0]
    if not _is_import(unit):
        return None
    for alias in node.names:
        if (alias.asname or alias.name).split(".")[0] == name or alias.name == "*":
            path = _import_path(node, alias)
            return path[:-1] + name if alias.name == "*" else path
    return None


def _is_handed_over(path, modules):
    """Whether ``path`` is a public name a handed-over module defines itself (the module
    alone, passed around, is not)."""
    for module in modules:
        if path.startswith(module + "."):
            name = path[len(module) + 1 :].split(".")[0]
            return name in _own_names(module)
    return False


def _own_names(module):
    """The public names ``module`` (a dotted name) defines itself: no module, nothing
    imported from elsewhere."""
    loaded = importlib.import_module(module)
    own = set()
    for name, value in vars(loaded).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if getattr(value, "__module__", module) == module or not callable(value):
            own.add(name)
    return own


def _check_by_name(call):
    """Refuse ``getattr`` (or its kin) of an attribute named at run time or a
    double-underscore one."""
    name = _by_name(call.func)
    if name is None:
        return
    where = _BY_NAME.get(name, 0)
    attr = call.args[where] if len(call.args) > where else None
    if not (isinstance(attr, ast.Constant) and isinstance(attr.value, str)):
        raise _Refused(
            f"is built with {name} of a name made at run time, which the grader cannot follow"
        )
    if attr.value.startswith("__") and attr.value not in _PLAIN_DUNDERS:
        raise _Refused(f"is built with {name}(..., {attr.value!r}), which the grader cannot follow")


# ---------------------------------------------------------------- code that can change any name


def _dynamic(units):
    """The first construct in ``units`` that can rebind any name unseen, or None."""
    sys_names = {
        name
        for unit in units
        if _is_import(unit)
        for name in unit.binds
        if _imported(unit, name) == "sys"
    }
    for unit in units:
        for node in (n for top in unit.nodes for n in ast.walk(top)):
            found = _dynamic_node(node, unit.parents, sys_names)
            if found is not None:
                return found
    return None


def _dynamic_node(node, parents, sys_names):
    """What ``node`` is, if it can rebind any name unseen (``sys_names``: the names bound to
    the module ``sys``), else None."""
    if isinstance(node, ast.Name) and node.id in _DYNAMIC_NAMES:
        return _ipython(node, parents) if node.id == "get_ipython" else node.id
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in sys_names:
            if node.attr in _IMPORT_SYSTEM:
                return f"sys.{node.attr}"
        if _is_get_ipython(node.value):
            return _ipython(node.value.func, parents)
        if node.attr in _DYNAMIC_ATTRIBUTES:
            return node.attr
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            path = _import_path(node, alias).lstrip(".")
            root = path.split(".")[0]
            if root in _DYNAMIC_MODULES or path in {f"sys.{n}" for n in _IMPORT_SYSTEM}:
                return root if root in _DYNAMIC_MODULES else path
            if alias.name in _DYNAMIC_NAMES | _DYNAMIC_ATTRIBUTES:
                return alias.name
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in ("setattr", "delattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                return f"{node.func.id} of a name made at run time"
    return None


def _is_get_ipython(node):
    """Whether ``node`` is the call ``get_ipython()``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
    )


def _ipython(name, parents):
    """What a use of ``get_ipython`` (``name``) runs: ``%magic``, ``%%magic``, a shell
    command, or ``get_ipython`` itself; None for ``%matplotlib ...``."""
    call = parents.get(name)
    attr = parents.get(call)
    outer = parents.get(attr)
    if not (
        isinstance(attr, ast.Attribute)
        and isinstance(outer, ast.Call)
        and outer.args
        and all(isinstance(a, ast.Constant) for a in outer.args)
    ):
        return "get_ipython"
    first = outer.args[0].value
    if attr.attr == "run_line_magic":
        return None if first == "matplotlib" and len(outer.args) == 2 else f"%{first}"
    if attr.attr == "run_cell_magic":
        return f"%%{first}"
    if attr.attr in ("system", "getoutput"):
        return "a shell command (!)"
    return "get_ipython"


# ---------------------------------------------------------------- the rule


def handed_over(checker):
    """What a Keras exercise hands over: the lab's data (``utils.data``) when its
    ``checker`` (a :class:`~utils.exercises.keras_model.KerasModelChecker`) asks for a
    ``fit`` (its spec's ``epochs`` or ``batch_size``, or a ``Training``), else nothing."""
    spec = getattr(checker, "spec", None)
    fits = getattr(spec, "epochs", None) is not None or getattr(spec, "batch_size", None)
    return ("utils.data",) if fits or getattr(checker, "training", None) else ()


def course_route(cells, answer, handed=()):
    """Why the model the notebook binds to ``answer`` is not the student's own, as the
    middle of a checker's line (``"uses the course's utils.network.Network (to_keras)"``),
    or None. ``cells``: the code cells' sources in the order they ran (a string: one cell);
    ``handed``: the course modules the exercise hands over (e.g. ``("utils.data",)``).
    A notebook whose code never binds ``answer`` (and holds no code that could bind it
    unseen) is not refused here."""
    if not isinstance(answer, str) or not answer.isidentifier():
        raise ValueError(f"answer must be a name, got {answer!r}")
    try:
        units = _units([cells] if isinstance(cells, str) else list(cells))
    except _Refused as refused:
        return refused.reason + ": write it plainly"
    dynamic = _dynamic(units)
    if dynamic is not None:
        return (
            f"cannot be checked: the notebook uses {dynamic}, which can change any name "
            "unseen: remove it and build the model in plain code"
        )
    if not any(answer in unit.binds for unit in units):
        return None
    flow = _Flow(units, answer, handed)
    try:
        flow.follow(answer, len(units), False, False, answer)
    except RecursionError:
        return "is built by code nested deeper than the grader follows: write it plainly"
    except _Refused as refused:
        if refused.reason.startswith("uses the course's"):
            return (
                refused.reason
                + (" (to_keras)" if flow.to_keras else "")
                + (": build it with keras yourself")
            )
        return refused.reason + ": build it with keras in plain code"
    if flow.to_keras:
        return "uses the course's to_keras: build it with keras yourself"
    return None
