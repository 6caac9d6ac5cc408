"""Fay–Herriot REML on the milk data against R sae::eblupFH / mseFH."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.errors import ModelError
from analysis.sae.fay_herriot import fit_fay_herriot

AREAS = [0, 1, 2, 3, 4, 42]


def test_fixed_effects_and_their_standard_errors(create_milk):
    fit = fit_fay_herriot(*create_milk())
    assert np.allclose(fit.beta, [0.9681890, 0.1327801, 0.2269462, -0.2413011], rtol=0, atol=1e-6)
    assert np.allclose(
        fit.beta_se, [0.06936208, 0.10300072, 0.09232981, 0.08161707], rtol=0, atol=1e-7
    )
    assert fit.converged and fit.iterations == 4


def test_eblups_and_prasad_rao_mse(create_milk):
    fit = fit_fay_herriot(*create_milk())
    eblup = [1.0219703, 1.0476018, 1.0679513, 0.7608170, 0.8461574, 0.6810870]
    mse = [0.013460220, 0.005372876, 0.005701990, 0.008541740, 0.009579594, 0.009903626]
    assert np.allclose(fit.eblup[AREAS], eblup, rtol=0, atol=1e-6)
    assert np.allclose(fit.mse[AREAS], mse, rtol=0, atol=1e-8)
    assert np.allclose(fit.mse, fit.g1 + fit.g2 + 2 * fit.g3)


def test_log_likelihoods_match_independent_densities(create_milk):
    y, psi, x = create_milk()
    fit = fit_fay_herriot(y, psi, x)
    cov = np.diag(fit.sigma2_u + psi)
    expected = stats.multivariate_normal(x @ fit.beta, cov).logpdf(y)
    assert np.isclose(fit.loglik, expected, rtol=1e-12)
    assert np.isclose(fit.loglik, 12.6774781322, rtol=1e-9)
    # restricted likelihood: density of the error contrasts K'y, K spanning X's complement
    k = np.linalg.svd(x, full_matrices=True)[0][:, x.shape[1] :]
    contrasts = stats.multivariate_normal(np.zeros(k.shape[1]), k.T @ cov @ k).logpdf(k.T @ y)
    log_det_xtx = np.linalg.slogdet(x.T @ x)[1]
    assert np.isclose(fit.restricted_loglik, contrasts - 0.5 * log_det_xtx, rtol=1e-10)


def test_synthetic_estimate_for_an_area_without_survey(create_milk):
    fit = fit_fay_herriot(*create_milk())
    row = np.array([[1.0, 0.0, 1.0, 0.0]])
    estimate, mse = fit.synthetic(row)
    assert np.isclose(estimate[0], fit.beta[0] + fit.beta[2])
    assert np.isclose(mse[0], row[0] @ fit.beta_covariance @ row[0] + fit.sigma2_u)


def test_model_errors():
    with pytest.raises(ModelError) as info:
        fit_fay_herriot([1.0, 2.0], [0.1, 0.1], np.ones((2, 2)))
    assert info.value.code == "singular_model"
    with pytest.raises(ModelError) as info:
        fit_fay_herriot([1.0, 2.0, 3.0], [0.1, 0.0, 0.1], np.ones((3, 1)))
    assert info.value.code == "bad_value"
