"""Write data/churn.csv: 600 synthetic telecom customers.

Run once; the CSV is committed. Churn is drawn from a known logistic model
(short tenure, month-to-month contracts, fibre without tech support, high
charges and many support calls raise the odds), so a trained model has a
real signal to find. Standard library only, fixed seed.
"""
import csv
import math
import random
from pathlib import Path

rng = random.Random(20240601)
out = Path(__file__).resolve().parent.parent / "data" / "churn.csv"

FIELDS = ["customer_id", "tenure_months", "monthly_charges", "contract",
          "internet_service", "tech_support", "paperless_billing", "support_calls", "churn"]

with out.open("w", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=FIELDS)
    w.writeheader()
    for i in range(600):
        contract = rng.choices(["month-to-month", "one-year", "two-year"], [0.55, 0.25, 0.20])[0]
        internet = rng.choices(["dsl", "fiber", "none"], [0.35, 0.45, 0.20])[0]
        tech = "no" if internet == "none" else rng.choice(["yes", "no"])
        tenure = rng.randint(0, 72)
        charges = round({"none": 20.0, "dsl": 50.0, "fiber": 80.0}[internet] + rng.uniform(0, 35), 2)
        calls = min(9, int(rng.expovariate(0.6)))
        paperless = rng.choice(["yes", "no"])
        z = (-1.2 - 0.045 * tenure + 0.02 * (charges - 60) + 0.35 * calls
             + {"month-to-month": 1.3, "one-year": 0.0, "two-year": -1.4}[contract]
             + (0.6 if internet == "fiber" and tech == "no" else 0.0)
             + (0.3 if paperless == "yes" else 0.0))
        churn = "yes" if rng.random() < 1 / (1 + math.exp(-z)) else "no"
        w.writerow({"customer_id": f"C{i:04d}", "tenure_months": tenure, "monthly_charges": charges,
                    "contract": contract, "internet_service": internet, "tech_support": tech,
                    "paperless_billing": paperless, "support_calls": calls, "churn": churn})
print(f"wrote {out}")
