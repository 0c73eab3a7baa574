"""Facts about the machine a benchmark ran on, stored with the results."""
import os
import platform


def cpu_info():
    """(model name, sorted flags of interest) from /proc/cpuinfo."""
    model, flags = "", []
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and not model:
                    model = value.strip()
                if key.strip() == "flags" and not flags:
                    flags = value.split()
    except OSError:
        pass
    interesting = [f for f in flags if f.startswith(("avx", "fma", "sse4", "amx")) or f in ("f16c",)]
    return model, sorted(interesting)


def facts():
    """Cores, CPU model and flags, load average, torch version."""
    import torch
    model, flags = cpu_info()
    return {"cores": os.cpu_count(), "cpu": model, "cpu_flags": flags, "load_average": os.getloadavg(),
            "kernel": platform.release(), "torch": torch.__version__, "torch_default_threads": torch.get_num_threads()}
