import subprocess
import sys

from minigpt import save
from minigpt.cli import main


def test_generate_from_checkpoint_folder(tmp_path, char_model, char_tok, capsys):
    save(char_model, char_tok, tmp_path / "ck")
    assert main(["generate", "--checkpoint", str(tmp_path / "ck"), "the cat", "--max-new-tokens", "5",
                 "--temperature", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("the cat") and len(out.rstrip("\n")) == len("the cat") + 5


def test_errors_are_clear_and_exit_2(tmp_path, char_model, char_tok, capsys):
    assert main(["generate", "--checkpoint", str(tmp_path / "nothing"), "hi"]) == 2
    assert "no shipped checkpoint named" in capsys.readouterr().err
    save(char_model, char_tok, tmp_path / "ck")
    assert main(["generate", "--checkpoint", str(tmp_path / "ck"), "the cat", "--temperature", "-1"]) == 2
    assert "negative" in capsys.readouterr().err
    assert main(["generate", "--checkpoint", str(tmp_path / "ck"), "Жук"]) == 2
    assert "'Ж'" in capsys.readouterr().err


def test_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "minigpt", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "train" in out.stdout and "generate" in out.stdout
