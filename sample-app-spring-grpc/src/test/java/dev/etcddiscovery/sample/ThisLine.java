package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.SampleProcess.Line;

/** The line this module's sample jar is on: the jar {@link SampleProcess} runs when no line is named. */
final class ThisLine {

    static final Line LINE = Line.BOOT_4_1;

    private ThisLine() {
    }
}
