#!/usr/bin/env python3
"""Convert a MANO model pickle (MANO_RIGHT.pkl / MANO_LEFT.pkl from mano.is.tue.mpg.de, which you must
download yourself under its licence) to the JSON that handgap's lib/hand/lbs.ts reads:

  {template: V×3, faces: F×3, weights: V×J, jointRegressor: J×V, parents: J (root −1),
   shapedirs: V×3×B, posedirs: V×3×9(J−1), handsMean?: 45, handsComponents?: 45×45}

usage: python3 scripts/mano_to_json.py MANO_RIGHT.pkl mano_right.json

Needs numpy (and scipy, which the pickle's sparse joint regressor is stored with). chumpy is NOT
needed: its arrays in the pickle are read as plain numpy arrays. Runs on the user's side; handgap
never downloads or ships MANO.
"""
import json
import os
import pickle
import sys

import numpy as np


class _ChumpyStub:
    """Stands in for chumpy.Ch objects in the pickle; their state holds the array as 'x'."""

    def __init__(self, *args, **kwargs):
        self.state = {}

    def __setstate__(self, state):
        self.state = state if isinstance(state, dict) else {'x': state}

    def array(self):
        return np.asarray(self.state.get('x', self.state.get('a')))


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module.startswith('chumpy'):
            return _ChumpyStub
        return super().find_class(module, name)


def dense(a):
    if isinstance(a, _ChumpyStub):
        a = a.array()
    if hasattr(a, 'toarray'):  # scipy.sparse
        a = a.toarray()
    return np.asarray(a, dtype=np.float64)


def convert(model):
    required = ['v_template', 'f', 'weights', 'J_regressor', 'kintree_table']
    missing = [k for k in required if k not in model]
    if missing:
        raise SystemExit(f'not a MANO model pickle: missing {", ".join(missing)}')
    template = dense(model['v_template'])
    V = template.shape[0]
    weights = dense(model['weights'])
    J = weights.shape[1]
    parents = [int(p) for p in np.asarray(model['kintree_table'])[0]]
    parents[0] = -1  # stored as 2**32-1 (uint32 -1)
    out = {
        'template': template.tolist(),
        'faces': np.asarray(model['f'], dtype=np.int64).tolist(),
        'weights': weights.tolist(),
        'jointRegressor': dense(model['J_regressor']).tolist(),
        'parents': parents,
    }
    if 'shapedirs' in model:
        out['shapedirs'] = dense(model['shapedirs']).reshape(V, 3, -1).tolist()
    if 'posedirs' in model:
        pd = dense(model['posedirs']).reshape(V, 3, -1)
        if pd.shape[2] != 9 * (J - 1):
            raise SystemExit(f'posedirs has {pd.shape[2]} columns, expected 9·(J−1) = {9 * (J - 1)}')
        out['posedirs'] = pd.tolist()
    if 'hands_mean' in model:
        out['handsMean'] = dense(model['hands_mean']).ravel().tolist()
    if 'hands_components' in model:
        out['handsComponents'] = dense(model['hands_components']).tolist()
    return out


def main():
    if len(sys.argv) != 3:
        raise SystemExit('usage: python3 scripts/mano_to_json.py MANO_RIGHT.pkl mano_right.json')
    src, dst = sys.argv[1], sys.argv[2]
    try:
        with open(src, 'rb') as f:
            model = _Unpickler(f, encoding='latin1').load()
    except (OSError, pickle.UnpicklingError, EOFError) as e:
        raise SystemExit(f'{src}: cannot read the pickle ({e})')
    out = convert(model)
    tmp = f'{dst}.{os.getpid()}.tmp'
    with open(tmp, 'w') as f:
        json.dump(out, f)
    os.replace(tmp, dst)
    print(f'{dst}: {len(out["template"])} vertices, {len(out["faces"])} faces, {len(out["parents"])} joints'
          f'{", " + str(len(out["shapedirs"][0][0])) + " shape components" if "shapedirs" in out else ""}')


if __name__ == '__main__':
    main()
