"""Images loaded into Blender are checked before use: Blender renders a missing or undecodable image as
magenta and says nothing, so every HDRI and texture goes through load_image (file present and non-empty,
decoded to a non-zero size, expected channel count); a failure is an AssetError naming the file."""
import os
import bpy


class AssetError(Exception):
    pass


def load_image(path, what, check_existing=False, channels=(3, 4)):
    if not path or not os.path.isfile(path):
        raise AssetError(f'{what} {path}: file not found')
    if os.path.getsize(path) == 0:
        raise AssetError(f'{what} {path}: file is empty (0 bytes)')
    try:
        img = bpy.data.images.load(path, check_existing=check_existing)
    except RuntimeError as e:
        raise AssetError(f'{what} {path}: Blender cannot read it ({e})')
    w, h = img.size  # reading the size decodes the image
    if w == 0 or h == 0 or not img.has_data or img.channels not in channels:
        found = f'{w}x{h}, {img.channels} channel(s)'
        bpy.data.images.remove(img)
        raise AssetError(f'{what} {path}: not a readable image (decoded {found}; expected a non-empty image with {" or ".join(map(str, channels))} channels)')
    return img
