"""Reads config/credentials files with real botocore and prints what it sees, as JSON (one result per case).

stdin: a JSON list of {"config": path or null, "credentials": path or null}.
stdout: a JSON list of {"config": {...}} or {"error": {"file", "kind", "line"}}.
"""
import configparser
import json
import os
import sys

import botocore.configloader as configloader
import botocore.exceptions


def read(path):
    """raw_config_parse, keeping the inner configparser error (kind and line) that botocore wraps."""
    if path is None:
        return {}
    try:
        return configloader.raw_config_parse(path)
    except botocore.exceptions.ConfigParseError as e:
        inner = e.kwargs.get('error')
        kind = type(inner).__name__ if inner is not None else 'ConfigParseError'
        if isinstance(inner, ValueError) and not isinstance(inner, UnicodeDecodeError):
            kind = 'NestedValueError'
        line = getattr(inner, 'lineno', None)
        if isinstance(inner, configparser.ParsingError) and not isinstance(inner, configparser.MissingSectionHeaderError):
            line = inner.errors[0][0]
        raise Failure(kind, line)


class Failure(Exception):
    def __init__(self, kind, line):
        self.kind, self.line = kind, line


def full_config(case):
    """Session.full_config: build_profile_map of the config file, then the credentials file merged over it."""
    try:
        raw = read(case.get('config'))
    except Failure as f:
        return {'error': {'file': 'config', 'kind': f.kind, 'line': f.line}}
    built = configloader.build_profile_map(raw)
    try:
        creds = read(case.get('credentials'))
    except Failure as f:
        return {'error': {'file': 'credentials', 'kind': f.kind, 'line': f.line}}
    for name, values in creds.items():
        built['profiles'].setdefault(name, {}).update(values)
    other = {k: v for k, v in built.items() if k not in ('profiles', 'sso_sessions', 'services')}
    return {'config': {'profiles': built['profiles'], 'sso_sessions': built['sso_sessions'],
                       'services': built['services'], 'other': other}}


if __name__ == '__main__':
    cases = json.load(sys.stdin)
    json.dump([full_config(c) for c in cases], sys.stdout)
