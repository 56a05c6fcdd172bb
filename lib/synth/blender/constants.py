"""Format constants of the renderer, GENERATED from lib/data/mask-labels.ts; do not edit.
Regenerate with: node --import tsx lib/synth/blender-constants.ts"""

# label name -> object pass index (the label id of the analysis code)
PASS_INDEX = {'background': 0, 'hand': 1, 'forearm': 2, 'object': 3}

# object pass index -> byte in the rendered mask PNG
MASK_BYTE = {0: 0, 1: 255, 2: 128, 3: 64}
