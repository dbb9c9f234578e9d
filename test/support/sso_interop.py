"""botocore's side of the ssokit interop tests (python3 + botocore; HOME and AWS_* come from the test).

  keys          stdin: JSON list of {"tokenKey", "registration": {...}, "role": {...}, "dumps": value};
                stdout: the hashes and JSON texts botocore and the AWS CLI compute for them
  credentials   PROFILE: resolve the profile's credentials with a botocore session (SSO provider, token
                refresh through sso-oidc), print them as JSON
  save-token    KEY SESSION|-: stdin: token JSON; write it into ~/.aws/sso/cache the way botocore does
  load-token    KEY SESSION|-: read a cached token with botocore's SSOTokenLoader, print it as JSON

botocore computes its cache folder from HOME when it is imported, so HOME must be set before this runs.
"""
import hashlib
import json
import sys

import botocore.session
from botocore.credentials import SSOCredentialFetcher
from botocore.tokens import SSOTokenProvider, _sso_json_dumps
from botocore.utils import JSONFileCache, SSOTokenLoader


def registration_cache_key(start_url, region, scopes, session_name):
    # awscli/botocore/utils.py BaseSSOTokenFetcher._registration_cache_key (AWS CLI v2), verbatim logic.
    args = {
        'tool': 'botocore',
        'startUrl': start_url,
        'region': region,
        'scopes': scopes,
        'session_name': session_name,
    }
    cache_args = json.dumps(args, sort_keys=True).encode('utf-8')
    return hashlib.sha1(cache_args).hexdigest()


def keys():
    out = []
    for item in json.load(sys.stdin):
        result = {}
        if 'tokenKey' in item:
            result['tokenKey'] = SSOTokenLoader()._generate_cache_key(item['tokenKey'], None)
        if 'registration' in item:
            r = item['registration']
            result['registration'] = registration_cache_key(r['startUrl'], r['region'], r.get('scopes'), r.get('sessionName'))
        if 'role' in item:
            r = item['role']
            fetcher = SSOCredentialFetcher(
                r.get('startUrl'), 'us-east-1', r['roleName'], r['accountId'], None,
                sso_session_name=r.get('sessionName'),
            )
            result['role'] = fetcher._make_file_safe(fetcher._create_cache_key()) + '.json'
        if 'dumps' in item:
            result['dumps'] = _sso_json_dumps(item['dumps'])
        out.append(result)
    json.dump(out, sys.stdout)


def credentials(profile):
    session = botocore.session.Session(profile=profile)
    creds = session.get_credentials()
    if creds is None:
        sys.exit('no credentials')
    frozen = creds.get_frozen_credentials()
    json.dump({'accessKey': frozen.access_key, 'secretKey': frozen.secret_key, 'token': frozen.token}, sys.stdout)


def token_cache():
    return JSONFileCache(SSOTokenProvider._SSO_TOKEN_CACHE_DIR, dumps_func=_sso_json_dumps)


def save_token(key, session):
    token = json.load(sys.stdin)
    SSOTokenLoader(cache=token_cache()).save_token(key, token, session_name=None if session == '-' else session)


def load_token(key, session):
    json.dump(SSOTokenLoader(cache=token_cache())(key, session_name=None if session == '-' else session), sys.stdout)


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'keys':
        keys()
    elif command == 'credentials':
        credentials(sys.argv[2])
    elif command == 'save-token':
        save_token(sys.argv[2], sys.argv[3])
    elif command == 'load-token':
        load_token(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f'unknown command {command}')
