"""What real botocore (and the AWS CLI v1 package beside it, when installed) read from a profile's nested blocks.

stdin: {"config": path to a config file, "services": [service names to build clients for]}.
stdout: {"s3_config_vars": [...], "proxies_config_vars": [...], "emr": [...] or null, "s3_transfer": [...] or null,
         "signature_versions": {service: the signature version its client signs with},
         "endpoint_urls": {service: the endpoint URL its client calls}}
"""
import json
import os
import sys

import botocore.configprovider as configprovider
import botocore.session


def awscli_lists():
    try:
        from awscli.customizations.emr.config import SUPPORTED_CONFIG_LIST
        from awscli.customizations.s3.transferconfig import DEFAULTS
    except ImportError:
        return None, None
    return sorted(c['name'] for c in SUPPORTED_CONFIG_LIST), sorted(DEFAULTS)


if __name__ == '__main__':
    request = json.load(sys.stdin)
    os.environ['AWS_CONFIG_FILE'] = request['config']
    os.environ.setdefault('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE')
    os.environ.setdefault('AWS_SECRET_ACCESS_KEY', 'secret')
    session = botocore.session.get_session()
    emr, transfer = awscli_lists()
    clients = {name: session.create_client(name, region_name='us-east-1') for name in request['services']}
    json.dump({
        # SectionConfigProvider('s3' | 'proxies_config', ...) reads these keys from the nested block.
        's3_config_vars': sorted(configprovider.DEFAULT_S3_CONFIG_VARS),
        'proxies_config_vars': sorted(configprovider.DEFAULT_PROXIES_CONFIG_VARS),
        'emr': emr,
        's3_transfer': transfer,
        'signature_versions': {name: c._request_signer._signature_version for name, c in clients.items()},
        'endpoint_urls': {name: c.meta.endpoint_url for name, c in clients.items()},
    }, sys.stdout)
