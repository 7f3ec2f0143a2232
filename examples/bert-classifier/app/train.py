"""Train the classifier on data/sentiment.csv and write model/sentiment.joblib."""
from sklearn.model_selection import cross_val_score

import classifier


def main():
    texts, labels = classifier.load_dataset()
    scores = cross_val_score(classifier.build_pipeline(), texts, labels, cv=5)
    model = classifier.train()
    classifier.save(model)
    print(f"trained on {len(texts)} sentences; 5-fold accuracy {scores.mean():.2f}; "
          f"saved {classifier.MODEL_PATH}")


if __name__ == "__main__":
    main()
