"""TRL SFT on an hgym export (the paper's recipe: full fine-tuning of a Qwen2.5-Coder instruct model on successful
trajectories, loss on assistant turns only).

    hgym export runs/<name> --format openai --only-success --tool-arguments object --out openai.jsonl
    python sft_hgym.py openai.jsonl Qwen/Qwen2.5-Coder-7B-Instruct

The rows' `messages` and `tools` columns are what SFTTrainer's conversational format reads: it renders each row
with the tokenizer's chat template, passing `tools`. The metadata columns (instance_id, task, repo, language,
teacher, reward, ...) are not model inputs and are dropped before training.
"""

import sys

from datasets import load_dataset
from trl import SFTConfig, SFTTrainer

data_file, model = sys.argv[1], sys.argv[2]
dataset = load_dataset("json", data_files=data_file, split="train")
dataset = dataset.select_columns(["messages", "tools"])

trainer = SFTTrainer(
    model=model,
    train_dataset=dataset,
    args=SFTConfig(
        output_dir="hgym-sft",
        assistant_only_loss=True,
        max_length=32768,
        num_train_epochs=3,
        learning_rate=1e-5,
        lr_scheduler_type="cosine",
        warmup_ratio=0.1,
        per_device_train_batch_size=1,
        gradient_accumulation_steps=8,
        bf16=True,
    ),
)
trainer.train()
