// Raw process baseline for the spawn group: answer at once, then exit.
process.send(1 + 1, () => process.disconnect());
