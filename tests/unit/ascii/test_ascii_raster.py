import numpy as np

from functions.ascii.raster import rasterize_mesh, turntable_rotation


def _square():
    vertices = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], dtype=float)
    faces = np.array([[0, 1, 2], [0, 2, 3]])
    return vertices, faces


def test_z_buffer_keeps_the_nearer_triangle():
    vertices = np.array([[-1, -1, 0], [1, -1, 0], [0, 1, 0], [-1, -1, 0.5], [1, -1, 0.5], [0, 1, 0.5]], dtype=float)
    faces = np.array([[0, 1, 2], [3, 4, 5]])
    colours = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    image = rasterize_mesh(vertices, faces, colours, size=(64, 64), rotation=np.eye(3))
    centre = image[36, 32]
    assert centre[2] > 0 and centre[0] == 0                           # blue (z=0.5) is in front
    image = rasterize_mesh(vertices, faces[::-1], colours[::-1], size=(64, 64), rotation=np.eye(3))
    assert image[36, 32][2] > 0 and image[36, 32][0] == 0             # order of faces does not matter


def test_square_fills_its_footprint_and_shading_follows_the_light():
    vertices, faces = _square()
    white = np.ones((2, 3))
    image = rasterize_mesh(vertices, faces, white, size=(50, 50), rotation=np.eye(3), background=(0, 0, 0))
    lit = image[..., 0] > 0
    assert 0.4 < lit.mean() < 0.6 and lit[25, 25] and not lit[0, 0]
    turned = rasterize_mesh(vertices, faces, white, size=(50, 50), rotation=turntable_rotation(1.2))
    assert turned[..., 0].astype(int).sum() != image[..., 0].astype(int).sum()
