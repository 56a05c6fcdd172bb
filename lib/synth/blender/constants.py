"""Format constants of the renderer, GENERATED from lib/data/mask-labels.ts, lib/hand/skeleton.ts, lib/synth/denoise.ts and lib/synth/worker.ts; do not edit.
Regenerate with: node --import tsx lib/synth/blender-constants.ts"""

# label name -> object pass index (the label id of the analysis code)
PASS_INDEX = {'background': 0, 'hand': 1, 'forearm': 2, 'object': 3}

# object pass index -> byte in the rendered mask PNG
MASK_BYTE = {0: 0, 1: 255, 2: 128, 3: 64}

# the 25-joint skeleton of the hand asset (names, parent of each joint, the 21 joints of the labels)
JOINTS25 = ['wrist', 'thumb-metacarpal', 'thumb-phalanx-proximal', 'thumb-phalanx-distal', 'thumb-tip', 'index-finger-metacarpal', 'index-finger-phalanx-proximal', 'index-finger-phalanx-intermediate', 'index-finger-phalanx-distal', 'index-finger-tip', 'middle-finger-metacarpal', 'middle-finger-phalanx-proximal', 'middle-finger-phalanx-intermediate', 'middle-finger-phalanx-distal', 'middle-finger-tip', 'ring-finger-metacarpal', 'ring-finger-phalanx-proximal', 'ring-finger-phalanx-intermediate', 'ring-finger-phalanx-distal', 'ring-finger-tip', 'pinky-finger-metacarpal', 'pinky-finger-phalanx-proximal', 'pinky-finger-phalanx-intermediate', 'pinky-finger-phalanx-distal', 'pinky-finger-tip']
PARENTS25 = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 8, 0, 10, 11, 12, 13, 0, 15, 16, 17, 18, 0, 20, 21, 22, 23]
MAP_25_TO_21 = [0, 1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24]

# per-worker scratch folder in the temp dir: <prefix><pid>-<start ticks>-<token> (stale ones removed by lib/synth/worker.ts)
INDEX_DIR_PREFIX = 'handgap-index-'

# object index in the denoiser passes of a supersampled pixel whose sub-pixels show different objects
MIXED_INDEX = 255
