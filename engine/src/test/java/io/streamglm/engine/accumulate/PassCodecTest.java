package io.streamglm.engine.accumulate;

import io.streamglm.engine.family.Family;
import io.streamglm.engine.family.Families;
import io.streamglm.engine.family.NegativeBinomial;
import io.streamglm.engine.family.Tweedie;
import io.streamglm.engine.link.LogLink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The passes a distributed fit ships to task managers come back as the passes the driver built. */
class PassCodecTest {

    private static List<Family> families() {
        List<Family> out = new ArrayList<>();
        for (String name : Families.NAMES) {
            Families.byName(name, null, null).ifPresent(out::add);
        }
        out.add(new Tweedie(1.5));
        out.add(new NegativeBinomial(3.25));
        return out;
    }

    @Test
    void irlsPassesRoundTripForEveryFamilyAndPoint() {
        double[] beta = {0.5, -1.25, 3e-17};
        for (Family f : families()) {
            for (Point p : List.of(Point.MU_START, Point.fitted(beta), Point.coefficients(beta))) {
                IrlsPass pass = new IrlsPass(f, LogLink.INSTANCE, p, p == Point.MU_START);
                IrlsPass back = (IrlsPass) PassCodec.decode(PassCodec.encode(pass), LogLink.INSTANCE);
                assertThat(back.family().name()).isEqualTo(f.name());
                assertThat(back.family().getClass()).isEqualTo(f.getClass());
                assertThat(back.point().kind()).isEqualTo(p.kind());
                assertThat(back.point().beta()).isEqualTo(p.beta());
                assertThat(back.interceptOnly()).isEqualTo(pass.interceptOnly());
            }
        }
        IrlsPass nb = (IrlsPass) PassCodec.decode(PassCodec.encode(new IrlsPass(new NegativeBinomial(3.25),
                LogLink.INSTANCE, Point.MU_START, false)), LogLink.INSTANCE);
        assertThat(((NegativeBinomial) nb.family()).theta()).isEqualTo(3.25);
        IrlsPass tw = (IrlsPass) PassCodec.decode(PassCodec.encode(new IrlsPass(new Tweedie(1.5),
                LogLink.INSTANCE, Point.MU_START, false)), LogLink.INSTANCE);
        assertThat(((Tweedie) tw.family()).varPower()).isEqualTo(1.5);
    }

    @Test
    void inferenceAndThetaPassesRoundTrip() {
        InferencePass inf = new InferencePass(new NegativeBinomial(2.0), LogLink.INSTANCE, new double[]{1, 2},
                Point.coefficients(new double[]{0.9, 2.1}), new double[]{1, 0.5, 0.5, 2}, 123.5, 40, null);
        InferencePass back = (InferencePass) PassCodec.decode(PassCodec.encode(inf), LogLink.INSTANCE);
        assertThat(back.beta()).isEqualTo(inf.beta());
        assertThat(back.solvedAt().beta()).isEqualTo(inf.solvedAt().beta());
        assertThat(back.covUnscaled()).isEqualTo(inf.covUnscaled());
        assertThat(back.deviance()).isEqualTo(123.5);
        assertThat(back.sumWeights()).isEqualTo(40);
        assertThat(back.nullMean()).isNull();
        InferencePass withMean = new InferencePass(inf.family(), inf.link(), inf.beta(), inf.solvedAt(),
                inf.covUnscaled(), 1, 2, 0.75);
        assertThat(((InferencePass) PassCodec.decode(PassCodec.encode(withMean), LogLink.INSTANCE)).nullMean())
                .isEqualTo(0.75);

        ThetaPass theta = new ThetaPass(LogLink.INSTANCE, new double[]{0.1}, ThetaPass.Kind.SCORE_INFO, 4.5);
        ThetaPass t = (ThetaPass) PassCodec.decode(PassCodec.encode(theta), LogLink.INSTANCE);
        assertThat(t.kind()).isEqualTo(ThetaPass.Kind.SCORE_INFO);
        assertThat(t.theta()).isEqualTo(4.5);
        assertThat(t.beta()).isEqualTo(new double[]{0.1});
    }

    @Test
    void aPassOfAnotherFormatVersionIsRefusedWithTheReason() {
        byte[] bytes = PassCodec.encode(new ThetaPass(LogLink.INSTANCE, new double[]{0}, ThetaPass.Kind.MOMENT, 0));
        bytes[0] = 9;
        assertThatThrownBy(() -> PassCodec.decode(bytes, LogLink.INSTANCE))
                .hasMessageContaining("version 9").hasMessageContaining("different streamglm builds");
    }
}
