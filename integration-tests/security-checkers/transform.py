#!/usr/bin/env python3
"""SAM template + parameter values -> the plain CloudFormation one deploy would create.

Usage: transform.py TEMPLATE OUTDIR PARAMS.json...
Writes OUTDIR/<name of PARAMS>.template.json for each parameter set (one process: the import
of samtranslator is most of the time).

1. samtranslator (the library `sam deploy` and cfn-lint use) expands AWS::Serverless::*;
   a local CodeUri becomes s3://checkers/<path> (as cfn-lint does), and managed policies
   are looked up in an empty map (the template names none).
2. The given parameter values are applied: Conditions are evaluated, resources and outputs
   whose condition is false are dropped, Fn::If picks its branch, AWS::NoValue disappears,
   Refs to parameters and ${Param} in Fn::Sub become the values, and Fn::Join/Split/Select/
   FindInMap over literals are folded. Rules and the console Metadata are dropped.
   So the checkers see exactly the resources of that deploy, with no Fn::If left over.
Parameters missing from PARAMS take their Default; a missing required one, or one the template
does not have, is an error.
"""
import copy
import json
import os
import re
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")

from samtranslator.parser import parser  # noqa: E402
from samtranslator.translator.translator import Translator  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402

PSEUDO = {"AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName", "AWS::StackId",
          "AWS::URLSuffix", "AWS::NotificationARNs"}


class Unresolved(Exception):
    pass


def local_code_uris(template):
    for res in template.get("Resources", {}).values():
        if res.get("Type") in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion"):
            props = res.setdefault("Properties", {})
            for key in ("CodeUri", "ContentUri"):
                v = props.get(key)
                if isinstance(v, str) and not v.startswith("s3://"):
                    props[key] = "s3://checkers/" + v.strip("./")
    g = template.get("Globals", {}).get("Function", {})
    if isinstance(g.get("CodeUri"), str) and not g["CodeUri"].startswith("s3://"):
        g["CodeUri"] = "s3://checkers/" + g["CodeUri"]


def parameter_values(template, given):
    params = template.get("Parameters", {})
    unknown = sorted(set(given) - set(params))
    values = {}
    missing = []
    for name, spec in params.items():
        if name in given:
            v = given[name]
        elif "Default" in spec:
            v = spec["Default"]
        else:
            missing.append(name)
            continue
        t = spec.get("Type", "String")
        if t.startswith("List<") or t == "CommaDelimitedList":
            v = v if isinstance(v, list) else [s for s in str(v).split(",")]
        else:
            v = str(v)
        values[name] = v
    if missing:
        sys.exit(f"transform.py: the parameter set gives no value for required parameter(s) {', '.join(missing)}: "
                 f"add them to the parameter set file")
    return values, unknown


class Resolver:
    def __init__(self, template, values):
        self.values = values
        self.mappings = template.get("Mappings", {})
        self.cond_defs = template.get("Conditions", {})
        self.conds = {}

    def condition(self, name):
        if name not in self.conds:
            self.conds[name] = self.truth(self.cond_defs[name])
        return self.conds[name]

    def truth(self, node):
        if isinstance(node, dict) and len(node) == 1:
            (k, v), = node.items()
            if k == "Condition":
                return self.condition(v)
            if k == "Fn::Not":
                return not self.truth(v[0])
            if k == "Fn::And":
                return all(self.truth(x) for x in v)
            if k == "Fn::Or":
                return any(self.truth(x) for x in v)
            if k == "Fn::Equals":
                a, b = (self.literal(x) for x in v)
                return a == b
        raise Unresolved(json.dumps(node))

    def literal(self, node):
        r = self.resolve(node)
        if isinstance(r, (dict,)):
            raise Unresolved(json.dumps(node))
        return r

    def resolve(self, node):
        if isinstance(node, list):
            out = []
            for x in node:
                r = self.resolve(x)
                if r is not NOVALUE:
                    out.append(r)
            return out
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (k, v), = node.items()
            if k == "Ref":
                if v == "AWS::NoValue":
                    return NOVALUE
                if v in self.values:
                    return copy.deepcopy(self.values[v])
                return node
            if k == "Fn::If":
                return self.resolve(v[1] if self.condition(v[0]) else v[2])
            if k == "Fn::Sub":
                return self.sub(v)
            if k in ("Fn::Join", "Fn::Split", "Fn::Select", "Fn::FindInMap"):
                args = self.resolve(v)
                try:
                    return fold(k, args, self.mappings)
                except Unresolved:
                    return {k: args}
        out = {}
        for k, v in node.items():
            r = self.resolve(v)
            if r is not NOVALUE:
                out[k] = r
        return out

    def sub(self, v):
        if isinstance(v, str):
            text, variables = v, {}
        else:
            text, variables = v[0], self.resolve(v[1]) if len(v) > 1 else {}

        def repl(m):
            name = m.group(1)
            val = variables.get(name, self.values.get(name)) if name in variables or name in self.values else None
            if isinstance(val, str):
                return val.replace("${", "${!")
            return m.group(0)
        text = re.sub(r"\$\{([^!}][^}]*)\}", repl, text)
        variables = {k: x for k, x in variables.items() if ("${" + k + "}") in text}
        if "${" not in text.replace("${!", ""):
            return text.replace("${!", "${")
        return {"Fn::Sub": [text, variables]} if variables else {"Fn::Sub": text}


class _NoValue:
    pass


NOVALUE = _NoValue()


def fold(fn, args, mappings):
    def lit(x):
        if isinstance(x, dict):
            raise Unresolved(fn)
        return x
    if fn == "Fn::Join":
        sep, items = lit(args[0]), lit(args[1])
        return sep.join(lit(i) for i in items)
    if fn == "Fn::Split":
        return lit(args[1]).split(lit(args[0]))
    if fn == "Fn::Select":
        return lit(lit(args[1])[int(lit(args[0]))])
    if fn == "Fn::FindInMap":
        return mappings[lit(args[0])][lit(args[1])][lit(args[2])]
    raise Unresolved(fn)


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: transform.py TEMPLATE OUTDIR PARAMS.json...")
    template_path, out_dir, params_paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(template_path) as f:
        text = f.read()
    for params_path in params_paths:
        name = os.path.splitext(os.path.basename(params_path))[0]
        transform(yaml_parse(text), params_path, os.path.join(out_dir, name + ".template.json"))


def transform(sam, params_path, out_path):
    with open(params_path) as f:
        given = json.load(f)
    values, unknown = parameter_values(sam, given)
    if unknown:
        sys.exit(f"transform.py: {params_path} names parameter(s) that template.yaml does not have: "
                 f"{', '.join(unknown)}: remove or rename them in the parameter set file")
    local_code_uris(sam)
    cfn = Translator(managed_policy_map={}, sam_parser=parser.Parser()).translate(
        sam_template=sam, parameter_values=dict(values), passthrough_metadata=True)
    cfn = json.loads(json.dumps(cfn, default=str))
    r = Resolver(cfn, values)
    resources = {}
    for name, res in cfn["Resources"].items():
        if "Condition" in res and not r.condition(res["Condition"]):
            continue
        res = {k: v for k, v in res.items() if k != "Condition"}
        if "DependsOn" in res:
            deps = res["DependsOn"] if isinstance(res["DependsOn"], list) else [res["DependsOn"]]
            res["DependsOn"] = deps
        resources[name] = r.resolve(res)
    # DependsOn on a dropped resource would not synthesize.
    for res in resources.values():
        if "DependsOn" in res:
            res["DependsOn"] = [d for d in res["DependsOn"] if d in resources]
            if not res["DependsOn"]:
                del res["DependsOn"]
    outputs = {}
    for name, out in cfn.get("Outputs", {}).items():
        if "Condition" in out and not r.condition(out["Condition"]):
            continue
        outputs[name] = r.resolve({k: v for k, v in out.items() if k != "Condition"})
    result = {"AWSTemplateFormatVersion": "2010-09-09", "Description": cfn.get("Description", ""),
              "Resources": resources, "Outputs": outputs}
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
