"""Customer churn: train a model on a CSV (churn.train) and serve it (churn.api)."""
