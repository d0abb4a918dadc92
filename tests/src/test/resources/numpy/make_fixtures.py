"""Writes the NumPy fixtures NumPyTest reads (numpy 2.4.6 made the committed copies).

Run from this folder: python3 make_fixtures.py
"""
import numpy as np

np.save("float32_2x3.npy", np.arange(6, dtype=np.float32).reshape(2, 3) / 4)
np.save("float64_vector.npy", np.array([1.5, -2.25, 1e-300], dtype=np.float64))
np.savez("named.npz", mu=np.array([0.5, 1.5], dtype=np.float64),
         sigma=np.array([[2.0, 0.5], [0.5, 1.0]], dtype=np.float64),
         labels=np.array([3, 1, 4], dtype=np.int64))
