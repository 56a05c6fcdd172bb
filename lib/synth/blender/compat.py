"""Blender-version shims (3.4 .. 4.x). Everything version-dependent lives here."""
import bpy


def patch_numpy_for_gltf():
    """Debian's Blender 3.4 runs on the system numpy (>= 1.24), where the glTF importer's `np.bool` is gone."""
    import numpy as np
    if 'bool' not in np.__dict__:
        np.bool = bool  # type: ignore[attr-defined]


def set_input(node, names, value):
    """Set the first input of `node` whose name is in `names` (Principled BSDF renamed inputs in 4.0).
    Returns the name used, or None if the node has none of them."""
    for n in names:
        sock = node.inputs.get(n)
        if sock is not None:
            sock.default_value = value
            return n
    return None


def _first_socket(node, sockets, names, kind):
    """The first of `names` among `sockets` (a node's inputs or outputs); names differ across Blender versions."""
    for n in names:
        sock = sockets.get(n)
        if sock is not None:
            return sock
    raise KeyError(f'{node.name}: none of the {kind} {names} (have {[x.name for x in sockets]})')


def input_socket(node, names):
    return _first_socket(node, node.inputs, names, 'inputs')


# Principled BSDF input names: 3.x name first, then 4.x.
BASE_COLOR = ['Base Color']
ROUGHNESS = ['Roughness']
METALLIC = ['Metallic']
SPECULAR = ['Specular', 'Specular IOR Level']
SUBSURFACE = ['Subsurface', 'Subsurface Weight']
SUBSURFACE_RADIUS = ['Subsurface Radius']
# 3.x scatters toward its own 'Subsurface Color' (default near-white) and has no scale; 4.x scatters the base
# colour and multiplies the radius by 'Subsurface Scale' (default 0.05).
SUBSURFACE_COLOR = ['Subsurface Color']
SUBSURFACE_SCALE = ['Subsurface Scale']
EMISSION_COLOR = ['Emission', 'Emission Color']
EMISSION_STRENGTH = ['Emission Strength']


def set_scattering(node_tree, bsdf, color_output, radius_m):
    """Subsurface scattering of the base colour over `radius_m` (mean free path per R, G, B, metres), on any
    version: 3.x's scatter colour is linked to `color_output` (else it scatters white light: a pale, glassy
    hand) and 4.x's radius scale is set to 1 (else radius × 0.05)."""
    sock = bsdf.inputs.get(SUBSURFACE_COLOR[0])
    if sock is not None:
        node_tree.links.new(color_output, sock)
    set_input(bsdf, SUBSURFACE_SCALE, 1.0)
    set_input(bsdf, SUBSURFACE_RADIUS, tuple(float(r) for r in radius_m))


def output_socket(node, names):
    return _first_socket(node, node.outputs, names, 'outputs')


# Render-layer outputs of the denoiser's feature passes (view_layer.cycles.denoising_store_passes).
ALBEDO_PASS = ['Denoising Albedo']
NORMAL_PASS = ['Denoising Normal']


def datafiles_dir():
    return bpy.utils.system_resource('DATAFILES')


def empty_node_tree(owner):
    """Switch `owner` (a material, world or scene) to nodes and return its node tree with every node removed."""
    owner.use_nodes = True
    nt = owner.node_tree
    for n in list(nt.nodes):
        nt.nodes.remove(n)
    return nt
