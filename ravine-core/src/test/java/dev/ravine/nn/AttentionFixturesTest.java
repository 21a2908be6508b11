package dev.ravine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ravine.autograd.Autograd;
import dev.ravine.autograd.GradCheck;
import dev.ravine.tensor.Rng;
import dev.ravine.tensor.Tensor;
import dev.ravine.testing.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Embedding, multi-head attention and the pre-norm transformer block against PyTorch (tools/gen_engine_fixtures.py):
 * forward, input and parameter gradients, and exact Hessian-vector products (double backward through softmax, batched
 * matmul, layer norm and GELU) against torch's; then against finite differences.
 */
class AttentionFixturesTest {
    private static final double TOL = 2e-5;

    @Test
    void embeddingWithPaddingIndex() {
        Fixture f = Fixture.load("layers/embedding_padding.json");
        Embedding e = new Embedding(f.integer("num_embeddings"), f.integer("dim"), f.integer("padding_idx"), new Rng(1));
        load(e, f, "");
        Tensor out = e.call(f.tensor("input"));
        f.compare("output", out, TOL);
        out.mul(f.tensor("R")).sum().backward();
        f.compare("grad_weight", e.weight().grad(), TOL);
        float[] g = e.weight().grad().values();
        for (int d = 0; d < f.integer("dim"); d++) assertEquals(0f, g[2 * f.integer("dim") + d], "the padding row gets no gradient");
        if (f.report() != null) fail(f.report());
    }

    @Test
    void embeddingRefusesNonTokens() {
        Embedding e = new Embedding(5, 2, null, new Rng(1));
        var bad = assertThrows(IllegalArgumentException.class, () -> e.call(Tensor.of(new float[] {1, 2.5f}, 1, 2)));
        assertTrue(bad.getMessage().startsWith("embedding input 2.5 at position 1 of [1, 2] is not a token index in [0, 5)"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.call(Tensor.of(new float[] {5}, 1, 1)));
    }

    @Test void attentionTwoHeads() { check("attention_2heads", "attn."); }
    @Test void attentionCausal() { check("attention_causal", "attn."); }
    @Test void transformerBlock() { check("transformer_block", ""); }

    private static Module build(Fixture f) {
        Rng rng = new Rng(3);
        if (f.has("ff")) return new TransformerEncoderBlock(f.integer("dim"), f.integer("heads"), f.integer("ff"), 0.0, false, rng);
        return new MultiheadAttention(f.integer("dim"), f.integer("heads"), 0.0, f.bool("causal"), rng);
    }

    /** Loads torch's parameters (named param.PREFIX + Ravine's name) into the module. */
    private static void load(Module m, Fixture f, String prefix) {
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) p.getValue().copyFrom(f.data("param." + prefix + p.getKey()));
    }

    private static void check(String name, String prefix) {
        Fixture f = Fixture.load("layers/" + name + ".json");
        Module m = build(f);
        load(m, f, prefix);
        Tensor x = f.tensor("input").requiresGrad(true);
        Tensor out = m.call(x);
        f.compare("output", out, TOL);
        Map<String, Tensor> params = m.namedParameters();
        List<Tensor> wrt = new ArrayList<>(params.values());
        wrt.add(x);
        List<Tensor> g = Autograd.grad(out.mul(f.tensor("R")).sum(), wrt, null, false);
        int i = 0;
        for (String p : params.keySet()) f.compare("grad_" + prefix + p, g.get(i++), TOL);
        f.compare("grad_input", g.get(i), TOL);
        // Hv with torch's v: grad(<grad(L), v>) with the first backward recorded
        List<Tensor> ps = new ArrayList<>(params.values());
        List<Tensor> first = Autograd.grad(m.call(f.tensor("input")).mul(f.tensor("R")).sum(), ps, null, true);
        Tensor dot = null;
        int k = 0;
        for (String p : params.keySet()) {
            Tensor term = first.get(k++).mul(f.tensor("v." + prefix + p)).sum();
            dot = dot == null ? term : dot.add(term);
        }
        List<Tensor> hv = Autograd.grad(dot, ps, null, false);
        k = 0;
        for (String p : params.keySet()) f.compare("hv." + prefix + p, hv.get(k++), 1e-4);
        if (f.report() != null) fail(f.report());
    }

    /** Finite differences of the layer with respect to its input and every parameter. */
    private static void gradCheck(Module m, Tensor x) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x);
        inputs.addAll(m.parameters());
        GradCheck.Result r = GradCheck.check(t -> m.call(t.get(0)), inputs);
        assertTrue(r.passed(), m.kind() + ": " + r);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(21);
        gradCheck(new MultiheadAttention(6, 2, 0.0, false, rng), Tensor.uniform(rng, -1, 1, 2, 4, 6).requiresGrad(true));
        gradCheck(new MultiheadAttention(4, 1, 0.0, true, rng), Tensor.uniform(rng, -1, 1, 2, 3, 4).requiresGrad(true));
        gradCheck(new TransformerEncoderBlock(4, 2, 8, 0.0, false, rng), Tensor.uniform(rng, -1, 1, 2, 3, 4).requiresGrad(true));
        // without a padding index: the padding row's output is a constant on purpose (torch's rule), tested above
        Embedding e = new Embedding(6, 3, null, rng);
        Tensor tokens = Tensor.of(new float[] {0, 3, 5, 1, 0, 2}, 2, 3);
        GradCheck.Result r = GradCheck.check(t -> e.call(tokens), e.parameters());
        assertTrue(r.passed(), "embedding: " + r);
    }

    /** Hv against central differences of gradients, (g(w + h v) - g(w - h v)) / 2h (Richardson-refined), for a causal transformer block. */
    @Test
    void hessianVectorProductsMatchDifferencesOfGradients() {
        Rng rng = new Rng(5);
        TransformerEncoderBlock block = new TransformerEncoderBlock(4, 2, 8, 0.0, true, rng);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 3, 4);
        Tensor r = Tensor.uniform(rng, -1, 1, 2, 3, 4);
        List<Tensor> ps = block.parameters();
        List<Tensor> v = new ArrayList<>();
        for (Tensor p : ps) v.add(Tensor.uniform(rng, -1, 1, p.shape()));
        List<Tensor> first = Autograd.grad(block.call(x).mul(r).sum(), ps, null, true);
        Tensor dot = null;
        for (int i = 0; i < ps.size(); i++) {
            Tensor term = first.get(i).mul(v.get(i)).sum();
            dot = dot == null ? term : dot.add(term);
        }
        List<Tensor> hv = Autograd.grad(dot, ps, null, false);
        double h = 2e-2;
        List<float[]> plus = gradientsAt(block, x, r, ps, v, h), minus = gradientsAt(block, x, r, ps, v, -h);
        List<float[]> halfPlus = gradientsAt(block, x, r, ps, v, h / 2), halfMinus = gradientsAt(block, x, r, ps, v, -h / 2);
        double worst = 0, scale = 0;
        for (int i = 0; i < ps.size(); i++) {
            float[] a = hv.get(i).values();
            for (int j = 0; j < a.length; j++) {
                // Richardson: (4 D(h/2) - D(h)) / 3 cancels the h^2 term of the central difference
                double full = (plus.get(i)[j] - minus.get(i)[j]) / (2 * h);
                double half = (halfPlus.get(i)[j] - halfMinus.get(i)[j]) / h;
                double numeric = (4 * half - full) / 3;
                worst = Math.max(worst, Math.abs(numeric - a[j]));
                scale = Math.max(scale, Math.abs(a[j]));
            }
        }
        assertTrue(scale > 1e-2, "Hv is not trivially zero: " + scale);
        assertTrue(worst < 2e-3 * (1 + scale), "worst |Hv - dg/dh| " + worst + " at scale " + scale);
    }

    private static List<float[]> gradientsAt(Module m, Tensor x, Tensor r, List<Tensor> ps, List<Tensor> v, double h) {
        List<float[]> saved = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            float[] w = ps.get(i).storage();
            saved.add(w.clone());
            float[] dv = v.get(i).values();
            for (int j = 0; j < w.length; j++) w[j] += (float) (h * dv[j]);
        }
        List<Tensor> g = Autograd.grad(m.call(x).mul(r).sum(), ps, null, false);
        List<float[]> out = new ArrayList<>();
        for (Tensor t : g) out.add(t.toArray());
        for (int i = 0; i < ps.size(); i++) System.arraycopy(saved.get(i), 0, ps.get(i).storage(), 0, saved.get(i).length);
        return out;
    }
}
