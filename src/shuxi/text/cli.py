"""``shuxi text …``: train, evaluate, apply and explain text classifiers (a thin shell over :mod:`shuxi.text`)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from shuxi.cli import DataArg, TextOrJson, _echo, _guard, command_group

app = command_group(
    "text",
    "Text classification: train a classifier on a labelled text column, evaluate it, label big tables with it "
    "and explain its predictions.\n\nExample: shuxi text train reviews.csv --text review --label label --out model",
)


class ModelKind(str, Enum):
    auto = "auto"
    tfidf = "tfidf"
    bilstm = "bilstm"
    transformer = "transformer"


class TokenizerKind(str, Enum):
    char = "char"
    jieba = "jieba"
    word = "word"
    bpe = "bpe"


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


class Method(str, Enum):
    auto = "auto"
    attention = "attention"
    occlusion = "occlusion"


ModelDir = Annotated[Path, typer.Argument(help="A classifier folder written by `shuxi text train --out`.", show_default=False)]
TextCol = Annotated[str, typer.Option("--text", help="The column that holds the texts.", show_default=False)]
LabelCol = Annotated[str, typer.Option("--label", help="The column that holds the labels (class names or numbers).", show_default=False)]


def _console() -> Any:
    from rich.console import Console

    return Console()


@app.command()
def train(data: DataArg, text: TextCol, label: LabelCol,
          out: Annotated[Path, typer.Option("--out", help="Folder to save the classifier in.", show_default=False)],
          model: Annotated[ModelKind, typer.Option("--model", help="auto tries several models on a validation split and keeps the best (or an ensemble).")] = ModelKind.auto,
          time_budget: Annotated[Optional[float], typer.Option("--time-budget", min=1, help="Seconds training may take (auto: default 600; neural models stop early with their best weights so far).")] = None,
          seed: Annotated[int, typer.Option("--seed", help="Random seed: the same data and seed give the same model.")] = 42,
          class_weight: Annotated[bool, typer.Option("--class-weight", help="Weight classes by inverse frequency (imbalanced labels).")] = False,
          tokenizer: Annotated[Optional[TokenizerKind], typer.Option("--tokenizer", help="Tokens for the neural models (default: characters for Chinese, words otherwise).")] = None,
          negative_label: Annotated[Optional[str], typer.Option("--negative-label", help="Which of two labels is the negative sentiment (e.g. 0), so that `shuxi ask` reads 差评 on the predictions; by default a sentiment model's polarity is read off the model.", show_default=False)] = None,
          overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the --out folder if it exists.")] = False) -> None:
    """Train a text classifier on the TEXT and LABEL columns of DATA and save it to --out.

    Example: shuxi text train reviews.csv --text review --label label --model auto --time-budget 300 --out model
    """

    def run() -> None:
        from shuxi.text.classifier import train as train_classifier

        target = Path(out)
        if target.exists() and (not target.is_dir() or any(target.iterdir())) and not overwrite:
            from shuxi.errors import DataError

            raise DataError(f"{target} already exists and is not empty; shuxi does not overwrite it.",
                            hint="Choose another --out folder or pass --overwrite.")
        clf = train_classifier(data, text=text, label=label, model=model.value, time_budget=time_budget,
                               out=target, overwrite=overwrite, seed=seed, class_weight=class_weight,
                               tokenizer=tokenizer.value if tokenizer else None,
                               progress=sys.stderr.isatty(), negative_label=negative_label)
        info = clf.info
        lines = [f"Trained a {clf.kind} classifier on {info['train_rows']:,} texts in {info['seconds']:.1f} s; "
                 f"labels {clf.labels!r}. Saved to {target}."]
        for c in info.get("candidates", []):
            mark = "*" if c["name"] == info.get("chosen") else " "
            lines.append(f" {mark} {c['name']}: validation accuracy {c['val_accuracy']:.4f} ({c['seconds']:.1f} s)")
        if info.get("skipped"):
            lines.append(f"   {info['skipped']} (raise --time-budget to include it)")
        if clf.polarity is not None:
            how = "as given" if info.get("polarity_given") else "how the model scores sentiment phrases"
            lines.append(f"Sentiment: {_polarity_text(clf.polarity)} ({how}); "
                         f"`shuxi ask` reads 差评/negative on its predictions.")
            if info.get("polarity_disagrees"):
                lines.append(f"Warning: the model scores sentiment phrases the other way round "
                             f"({clf.polarity['positive']} looks negative); check --negative-label.")
        elif len(clf.labels) == 2 and all(isinstance(v, (int, bool)) for v in clf.labels):  # "0"/"1": says nothing
            lines.append("Sentiment: not read off the model (it does not score sentiment phrases clearly apart); "
                         "pass --negative-label if these labels are sentiment.")
        _echo("\n".join(lines))

    _guard(run)


@app.command("eval")
def evaluate(model_dir: ModelDir, data: DataArg, text: TextCol, label: LabelCol,
             format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text) -> None:
    """Evaluate a saved classifier on labelled DATA: accuracy, macro-F1, per-class precision/recall, confusion matrix.

    Example: shuxi text eval model test.csv --text review --label label --format json
    """

    def run() -> None:
        from shuxi.text.classifier import load
        from shuxi.text.predict import evaluate as evaluate_classifier

        report = evaluate_classifier(load(model_dir), data, text=text, label=label)
        if format is TextOrJson.json:
            _echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        from rich.table import Table

        console = _console()
        console.print(f"{report['rows']:,} texts · accuracy {report['accuracy']:.4f} · macro-F1 {report['macro_f1']:.4f}")
        table = Table("label", "precision", "recall", "F1", "support")
        for name, row in report["per_class"].items():
            table.add_row(name, f"{row['precision']:.4f}", f"{row['recall']:.4f}", f"{row['f1']:.4f}", str(row["support"]))
        console.print(table)
        matrix = Table("true \\ predicted", *report["confusion_matrix"]["labels"], title="confusion matrix")
        for name, counts in zip(report["confusion_matrix"]["labels"], report["confusion_matrix"]["matrix"]):
            matrix.add_row(name, *(str(c) for c in counts))
        console.print(matrix)

    _guard(run)


@app.command()
def predict(model_dir: ModelDir, data: DataArg, text: TextCol,
            out: Annotated[Path, typer.Option("--out", help="The Parquet file to write (DATA plus label and score columns).", show_default=False)],
            overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace --out if it exists.")] = False,
            label_column: Annotated[str, typer.Option("--label-column", help="Name of the predicted-label column.")] = "label",
            score_column: Annotated[str, typer.Option("--score-column", help="Name of the column with the predicted label's probability.")] = "score") -> None:
    """Label every row of DATA with a saved classifier; writes DATA plus `label` and `score` columns to --out.

    Rows stream through in batches (constant memory on any size); nothing is written until the file is complete.

    Example: shuxi text predict model reviews.parquet --text review --out labelled.parquet
    """

    def run() -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from shuxi.text.classifier import load
        from shuxi.text.predict import predict_table

        clf = load(model_dir)
        with Progress(TextColumn("labelling rows"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=_stderr_console(), transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("rows", total=None)
            summary = predict_table(clf, data, text=text, out=out, overwrite=overwrite, label_column=label_column,
                                    score_column=score_column,
                                    on_progress=lambda done, total: bar.update(task, completed=done, total=total))
        counts = ", ".join(f"{k}: {v:,}" for k, v in sorted(summary["label_counts"].items()))
        polarity = f"; {label_column} {_polarity_text(summary['polarity'])}" if summary["polarity"] else ""
        _echo(f"Wrote {summary['rows']:,} rows to {summary['out']} ({counts or 'no rows'}{polarity}).")

    _guard(run)


def _polarity_text(polarity: dict[str, Any]) -> str:
    """"0 = negative, 1 = positive"."""
    return f"{polarity['negative']} = negative, {polarity['positive']} = positive"


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@app.command()
def explain(model_dir: ModelDir,
            text: Annotated[str, typer.Argument(help="The text whose prediction to explain.", show_default=False)],
            method: Annotated[Method, typer.Option("--method", help="occlusion (any model; auto uses it) or attention (the BiLSTM-attention model's weights).")] = Method.auto,
            format: Annotated[OutputFormat, typer.Option("--format", "-f", help="text: coloured in the terminal; html; json.")] = OutputFormat.text,
            html_out: Annotated[Optional[Path], typer.Option("--html", help="Also write the explanation as an HTML file.")] = None) -> None:
    """Show which words made a saved classifier predict its label for TEXT, coloured by attribution.

    Green tokens support the predicted label, red ones speak against it (occlusion); attention shows what the
    BiLSTM-attention model looked at.

    Example: shuxi text explain model "房间很干净，但是隔音太差了"
    """

    def run() -> None:
        from shuxi.text.classifier import load

        result = load(model_dir).explain(text, method=method.value)
        if html_out is not None:
            html_out.write_text(f"<!doctype html><meta charset='utf-8'>{result.to_html()}\n", encoding="utf-8")
        if format is OutputFormat.json:
            _echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        elif format is OutputFormat.html:
            _echo(result.to_html())
        else:
            console = _console()
            console.print(f"[bold]{result.label}[/] (p = {result.probability:.3f}) — {result.method}")
            console.print(result.to_rich())
            console.print("top: " + ", ".join(f"{t.strip() or repr(t)} {s:+.3f}" for t, s in result.top(5)))

    _guard(run)
