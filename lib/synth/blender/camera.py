"""Camera from OpenCV intrinsics K.

Convention: the Blender world IS the OpenCV camera frame with y and z flipped (x right, y up, z back),
and the camera sits at the origin with identity rotation (Blender cameras look down -Z with +Y up).
So a point p_cv = (x, y, z) is placed at p_bl = (x, -y, -z). K uses OpenCV pixel coordinates (centre of
the top-left pixel at (0, 0)); Blender's film coordinates put that centre at (0.5, 0.5), hence the
half-pixel terms in the shifts.
"""
import bpy

SENSOR_WIDTH_MM = 36.0


def cv_to_blender(p):
    return (p[0], -p[1], -p[2])


def blender_to_cv(p):
    return [p[0], -p[1], -p[2]]


def setup_camera(scene, K, width, height):
    fx, fy, cx, cy = K[0][0], K[1][1], K[0][2], K[1][2]
    if abs(fx - fy) > 1e-6 * abs(fx):
        raise ValueError(f'K: fx={fx} and fy={fy} differ; only square pixels are supported')
    cam = scene.camera
    if cam is None:
        data = bpy.data.cameras.new('Camera')
        cam = bpy.data.objects.new('Camera', data)
        scene.collection.objects.link(cam)
        scene.camera = cam
    cam.location = (0.0, 0.0, 0.0)
    cam.rotation_mode = 'XYZ'
    cam.rotation_euler = (0.0, 0.0, 0.0)
    cam.scale = (1.0, 1.0, 1.0)
    d = cam.data
    d.type = 'PERSP'
    d.sensor_fit = 'HORIZONTAL'
    d.sensor_width = SENSOR_WIDTH_MM
    d.lens_unit = 'MILLIMETERS'
    d.lens = fx * SENSOR_WIDTH_MM / width
    # Shifts are in units of the sensor-fit dimension (width here).
    d.shift_x = (width / 2.0 - cx - 0.5) / width
    d.shift_y = (cy + 0.5 - height / 2.0) / width
    d.clip_start = 0.01
    d.clip_end = 100.0
    r = scene.render
    r.resolution_x = width
    r.resolution_y = height
    r.resolution_percentage = 100
    r.pixel_aspect_x = 1.0
    r.pixel_aspect_y = 1.0
    return cam


def intrinsics_from_camera(scene):
    """K recomputed from the camera Blender actually uses (the inverse of setup_camera)."""
    d = scene.camera.data
    w, h = scene.render.resolution_x, scene.render.resolution_y
    f = d.lens / d.sensor_width * w
    cx = w / 2.0 - d.shift_x * w - 0.5
    cy = h / 2.0 + d.shift_y * w - 0.5
    return [[f, 0.0, cx], [0.0, f, cy], [0.0, 0.0, 1.0]]
