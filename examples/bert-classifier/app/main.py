"""Batch inference: classify the texts given as arguments (or a default one)."""
import sys

import classifier

DEFAULT_TEXT = "Docker multi-stage builds make deployment so much easier and I love them!"


def main(argv):
    texts = argv or [DEFAULT_TEXT]
    results = classifier.classify(classifier.load(), texts)
    print("\n--- Classification Result ---")
    for text, result in zip(texts, results):
        if len(texts) > 1:
            print(text)
        print([result])


if __name__ == "__main__":
    main(sys.argv[1:])
