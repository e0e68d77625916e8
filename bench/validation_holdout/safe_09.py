"""Evaluation loop for a PyTorch image classifier."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader


def evaluate(model: nn.Module, loader: DataLoader, device: str = "cpu") -> dict[str, float]:
    """Accuracy and mean loss of ``model`` over ``loader``."""
    criterion = nn.CrossEntropyLoss()
    model.eval()
    correct = 0
    total = 0
    loss_sum = 0.0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            loss_sum += criterion(logits, labels).item() * labels.size(0)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            total += labels.size(0)
    model.train()
    return {"accuracy": correct / max(total, 1), "loss": loss_sum / max(total, 1)}


def load_checkpoint(model: nn.Module, path: str) -> nn.Module:
    """Load weights only (no arbitrary objects) from a checkpoint file."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model
