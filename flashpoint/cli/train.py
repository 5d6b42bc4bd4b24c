"""`flashpoint train-typing`: the learned typing model from the team's corpus."""

from __future__ import annotations

import typer

from flashpoint.cli.options import EXIT_NOTHING_READ, err

commands = typer.Typer()


@commands.command("train-typing")
def train_typing_command(
    output: str = typer.Option("", "--out", help="Folder for model.npz and config.json (default: the package's own)."),
    corpus: str = typer.Option("", "--corpus", help="Folder with train.jsonl and test.jsonl (default: the package's own)."),
) -> None:
    """Train the learned typing model on the team's corpus and score its test split.

    Reads flashpoint/data/corpus/train.jsonl (fit, and calibration on held-out folds) and
    test.jsonl (scored once), with a fixed seed, and writes the arrays and a config with the
    corpus hashes and the test figures. Needs the training extra:

      pip install -e ".[train]"
      flashpoint train-typing
    """
    from pathlib import Path

    try:
        from flashpoint.learn.typing_model import train
        import sklearn  # noqa: F401  (the extra; numpy alone runs the trained model)
    except ImportError:
        err.print('[red]error[/red] training needs scikit-learn: pip install -e ".[train]"', highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    from flashpoint.extract.classifier import MODEL_DIR
    from flashpoint.learn.corpus import CORPUS_DIR, CorpusError

    try:
        config = train(Path(output) if output else MODEL_DIR, Path(corpus) if corpus else CORPUS_DIR,
                       progress=lambda m: err.print(m, highlight=False))
    except CorpusError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_NOTHING_READ)
    test = config["test"]
    err.print(f"test split ({test['snippets']} snippets): sub-type weighted F1 {test['subtype_weighted_f1']}, "
              f"macro F1 {test['subtype_macro_f1']}, event/no-event F1 {test['event_f1']}, "
              f"calibration error {test['expected_calibration_error']}; PLOVER accuracy "
              f"{config['test_plover_accuracy']}", highlight=False)


