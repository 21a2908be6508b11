package dev.ravine.app.build;

import dev.ravine.app.config.ToolboxConfig;
import dev.ravine.optim.ClipByGlobalNorm;
import dev.ravine.optim.ClipByLayerNorm;
import dev.ravine.optim.ClipByValue;
import dev.ravine.optim.GradientTransform;
import dev.ravine.optim.MaxNorm;
import dev.ravine.optim.OptimizerAssembly;
import dev.ravine.optim.ParamConstraint;
import dev.ravine.optim.ParamGroups;
import dev.ravine.optim.ProximalL1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The toolbox sections' optimizer parts: clipping (the chain's first link), parameter groups and post-update constraints. */
public final class ToolboxParts {
    private ToolboxParts() {}

    /** {@code assembly} with {@code toolbox}'s clipping, parameter groups and post-update constraints. */
    public static OptimizerAssembly applyTo(ToolboxConfig toolbox, OptimizerAssembly assembly) {
        List<GradientTransform> shared = new ArrayList<>();
        if (toolbox.clipKind() != null) shared.add(switch (toolbox.clipKind()) {
            case "value" -> new ClipByValue(toolbox.clip());
            case "global_norm" -> new ClipByGlobalNorm(toolbox.clip(), toolbox.clipP(), toolbox.clipErrorIfNonfinite());
            default -> new ClipByLayerNorm(toolbox.clip());
        });
        List<OptimizerAssembly.Group> made = new ArrayList<>();
        for (ToolboxConfig.Group g : toolbox.groups()) {
            Map<String, Object> overrides = new LinkedHashMap<>();
            if (g.lr() != null) overrides.put("lr", g.lr());
            if (g.weightDecay() != null) overrides.put("weight_decay", g.weightDecay());
            made.add(new OptimizerAssembly.Group(g.match(), ParamGroups.matcher(g.match()), overrides));
        }
        List<ParamConstraint> constraints = new ArrayList<>();
        if (toolbox.l1Proximal() > 0) constraints.add(new ProximalL1(toolbox.l1Proximal()));
        if (toolbox.maxNorm() != null) constraints.add(new MaxNorm(toolbox.maxNorm()));
        return assembly.withShared(shared).withGroups(made).withConstraints(constraints);
    }
}
