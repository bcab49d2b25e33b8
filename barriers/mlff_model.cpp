/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
// ionkmc barriers: deployed NequIP/Allegro TorchScript models through
// libtorch, behind the function table of barriers/mlff_backend.h. Every entry
// catches every exception and turns it into an ionkmc_status with one line;
// nothing here prints, exits or aborts.

extern "C" {
#include "base/status.h"
}
#include "barriers/mlff_backend.h"

#include <torch/cuda.h>
#include <torch/script.h>
#include <torch/version.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <sstream>
#include <string>

namespace {

struct handle {
  torch::jit::Module module;
  torch::Device device{torch::kCPU};
  torch::Dtype dtype = torch::kFloat32;
  std::string path;
};

std::string one_line(const std::exception &e) {
  std::string s;
  if (const auto *ce = dynamic_cast<const c10::Error *>(&e)) s = ce->what_without_backtrace();
  else s = e.what();
  const size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

void copy_str(char *dst, size_t cap, const std::string &s) {
  std::snprintf(dst, cap, "%s", s.c_str());
}

// Major.minor of a version text "1.13.1+cu117" -> (1, 13); false if unreadable.
bool major_minor(const std::string &v, int *maj, int *min) {
  return std::sscanf(v.c_str(), "%d.%d", maj, min) == 2;
}

void *load(const char *path, const char *device, ionkmc_mlff_meta *meta, ionkmc_error *err,
           ionkmc_status *status) {
  auto fail = [&](ionkmc_status st) -> void * {
    if (status) *status = st;
    return nullptr;
  };
  handle *h = nullptr;
  try {
    h = new handle;
    h->path = path;
    try {
      h->device = torch::Device(device ? device : "cpu");
    } catch (const std::exception &e) {
      delete h;
      ionkmc_error_set(err, IONKMC_EINVAL, "--device '%s': not a torch device (cpu, cuda, cuda:N)", device);
      return fail(IONKMC_EINVAL);
    }
    if (h->device.is_cuda() && !torch::cuda::is_available()) {
      delete h;
      ionkmc_error_set(err, IONKMC_EINVAL,
                       "--device %s: this libtorch has no CUDA or sees no GPU (build against a CUDA "
                       "libtorch with -DIONKMC_TORCH_DIR=...)",
                       device);
      return fail(IONKMC_EINVAL);
    }
    FILE *fp = std::fopen(path, "rb");
    if (!fp) {
      delete h;
      ionkmc_error_set(err, IONKMC_EIO, "model '%s': cannot open for reading", path);
      return fail(IONKMC_EIO);
    }
    std::fclose(fp);
    torch::jit::ExtraFilesMap extra{{"nequip_version", ""}, {"torch_version", ""}, {"r_max", ""},
                                    {"n_species", ""},      {"type_names", ""},    {"model_dtype", ""},
                                    {"allow_tf32", ""},     {"_jit_bailout_depth", ""}};
    try {
      h->module = torch::jit::load(h->path, h->device, extra);
    } catch (const std::exception &e) {
      // The archive may be newer than this libtorch: say which versions meet.
      delete h;
      ionkmc_error_set(err, IONKMC_EPARSE,
                       "model '%s': not loadable by libtorch %d.%d (a deployed model must be exported with a "
                       "torch no newer than the libtorch ionkmc links; rebuild with -DIONKMC_TORCH_DIR): %s",
                       path, TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, one_line(e).c_str());
      return fail(IONKMC_EPARSE);
    }
    h->module.eval();
    if (extra["nequip_version"].empty()) {
      delete h;
      ionkmc_error_set(err, IONKMC_EPARSE,
                       "model '%s': no nequip_version metadata: not a deployed NequIP/Allegro model "
                       "(nequip-deploy build)",
                       path);
      return fail(IONKMC_EPARSE);
    }
    const char *need[] = {"r_max", "n_species", "type_names"};
    for (const char *k : need)
      if (extra[k].empty()) {
        delete h;
        ionkmc_error_set(err, IONKMC_EPARSE, "model '%s': metadata key '%s' missing", path, k);
        return fail(IONKMC_EPARSE);
      }
    std::memset(meta, 0, sizeof *meta);
    char *end = nullptr;
    meta->r_max = std::strtod(extra["r_max"].c_str(), &end);
    if (!(meta->r_max > 0) || (end && *end && *end != '\n')) {
      delete h;
      ionkmc_error_set(err, IONKMC_EPARSE, "model '%s': metadata r_max '%s' is not a positive number", path,
                       extra["r_max"].c_str());
      return fail(IONKMC_EPARSE);
    }
    meta->n_species = std::atoi(extra["n_species"].c_str());
    std::istringstream names(extra["type_names"]);
    std::string name;
    int nt = 0;
    while (names >> name) {
      if (nt == IONKMC_MLFF_MAX_TYPES || name.size() >= IONKMC_MLFF_TYPELEN) {
        delete h;
        ionkmc_error_set(err, IONKMC_EPARSE, "model '%s': type_names '%s': too many or too long names", path,
                         extra["type_names"].c_str());
        return fail(IONKMC_EPARSE);
      }
      copy_str(meta->type_names[nt++], IONKMC_MLFF_TYPELEN, name);
    }
    if (nt < 1 || nt != meta->n_species) {
      delete h;
      ionkmc_error_set(err, IONKMC_EPARSE, "model '%s': n_species %s but type_names '%s' holds %d names", path,
                       extra["n_species"].c_str(), extra["type_names"].c_str(), nt);
      return fail(IONKMC_EPARSE);
    }
    copy_str(meta->nequip_version, sizeof meta->nequip_version, extra["nequip_version"]);
    copy_str(meta->torch_version, sizeof meta->torch_version, extra["torch_version"]);
    copy_str(meta->model_dtype, sizeof meta->model_dtype,
             extra["model_dtype"].empty() ? std::string("float32") : extra["model_dtype"]);
    meta->allow_tf32 = extra["allow_tf32"].empty() ? 0 : std::atoi(extra["allow_tf32"].c_str());
    int maj, min;
    if (!extra["torch_version"].empty() && major_minor(extra["torch_version"], &maj, &min) &&
        (maj > TORCH_VERSION_MAJOR || (maj == TORCH_VERSION_MAJOR && min > TORCH_VERSION_MINOR))) {
      delete h;
      ionkmc_error_set(err, IONKMC_EINVAL,
                       "model '%s': deployed with torch %s, newer than the linked libtorch %d.%d (export it with "
                       "torch %d.%d, or rebuild ionkmc with -DIONKMC_TORCH_DIR=<a libtorch %d.%d>)",
                       path, extra["torch_version"].c_str(), TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR,
                       TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, maj, min);
      return fail(IONKMC_EINVAL);
    }
    if (!std::strcmp(meta->model_dtype, "float64")) h->dtype = torch::kFloat64;
    else if (!std::strcmp(meta->model_dtype, "float32")) h->dtype = torch::kFloat32;
    else {
      delete h;
      ionkmc_error_set(err, IONKMC_EPARSE, "model '%s': model_dtype '%s' (expected float32 or float64)", path,
                       meta->model_dtype);
      return fail(IONKMC_EPARSE);
    }
    if (h->device.is_cuda()) {
      at::globalContext().setAllowTF32CuBLAS(meta->allow_tf32 != 0);
      at::globalContext().setAllowTF32CuDNN(meta->allow_tf32 != 0);
    }
    if (status) *status = IONKMC_OK;
    return h;
  } catch (const std::bad_alloc &) {
    delete h;
    ionkmc_error_set(err, IONKMC_ENOMEM, "model '%s': out of memory", path);
    return fail(IONKMC_ENOMEM);
  } catch (const std::exception &e) {
    delete h;
    ionkmc_error_set(err, IONKMC_EINTERNAL, "model '%s': %s", path, one_line(e).c_str());
    return fail(IONKMC_EINTERNAL);
  } catch (...) {
    delete h;
    ionkmc_error_set(err, IONKMC_EINTERNAL, "model '%s': unknown C++ exception", path);
    return fail(IONKMC_EINTERNAL);
  }
}

ionkmc_status eval(void *vh, const ionkmc_mlff_input *in, ionkmc_mlff_output *out, ionkmc_error *err) {
  handle *h = static_cast<handle *>(vh);
  try {
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    const auto i64 = torch::TensorOptions().dtype(torch::kInt64);
    const int64_t n = in->n, ne = in->nedges;
    // from_blob borrows the caller's arrays; .to() copies onto the device and dtype.
    auto pos = torch::from_blob(const_cast<double *>(in->pos), {n, 3}, f64).to(h->device, h->dtype, false, true);
    auto cell = torch::from_blob(const_cast<double *>(in->cell), {3, 3}, f64).to(h->device, h->dtype, false, true);
    auto types = torch::from_blob(const_cast<int64_t *>(in->types), {n}, i64).to(h->device, false, true);
    auto ei = torch::empty({2, ne}, i64);
    if (ne > 0) {
      std::memcpy(ei.data_ptr<int64_t>(), in->src, (size_t)ne * sizeof(int64_t));
      std::memcpy(ei.data_ptr<int64_t>() + ne, in->dst, (size_t)ne * sizeof(int64_t));
    }
    auto shift = torch::from_blob(const_cast<double *>(in->shift ? in->shift : in->pos), {ne, 3}, f64)
                     .to(h->device, h->dtype, false, true);
    c10::Dict<std::string, torch::Tensor> dict;
    dict.insert("pos", pos);
    dict.insert("edge_index", ei.to(h->device));
    dict.insert("edge_cell_shift", shift);
    dict.insert("cell", cell);
    dict.insert("atom_types", types);
    auto result = h->module.forward({dict}).toGenericDict();
    if (!result.contains("total_energy") || !result.contains("forces")) {
      return ionkmc_error_set(err, IONKMC_EINTERNAL,
                              "model '%s': its output lacks total_energy or forces", h->path.c_str());
    }
    auto e = result.at("total_energy").toTensor().to(torch::kCPU, torch::kFloat64).contiguous();
    auto f = result.at("forces").toTensor().to(torch::kCPU, torch::kFloat64).contiguous();
    if (e.numel() != 1 || f.numel() != 3 * n) {
      return ionkmc_error_set(err, IONKMC_EINTERNAL,
                              "model '%s': total_energy has %lld values (expected 1), forces %lld (expected %lld)",
                              h->path.c_str(), (long long)e.numel(), (long long)f.numel(), (long long)(3 * n));
    }
    out->energy = e.item<double>();
    std::memcpy(out->forces, f.data_ptr<double>(), (size_t)(3 * n) * sizeof(double));
    out->has_stress = 0;
    if (result.contains("stress")) {
      auto s = result.at("stress").toTensor().to(torch::kCPU, torch::kFloat64).contiguous();
      if (s.numel() == 9) {
        std::memcpy(out->stress, s.data_ptr<double>(), 9 * sizeof(double));
        out->has_stress = 1;
      }
    }
    return IONKMC_OK;
  } catch (const std::bad_alloc &) {
    return ionkmc_error_set(err, IONKMC_ENOMEM, "model '%s': out of memory", h->path.c_str());
  } catch (const std::exception &e) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "model '%s': forward failed: %s", h->path.c_str(),
                            one_line(e).c_str());
  } catch (...) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "model '%s': unknown C++ exception", h->path.c_str());
  }
}

void free_handle(void *vh) {
  try {
    delete static_cast<handle *>(vh);
  } catch (...) {
  }
}

const char *linked_version() {
  static char v[32];
  std::snprintf(v, sizeof v, "%d.%d", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR);
  return v;
}

int cuda_available() {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

const ionkmc_mlff_backend BACKEND = {load, eval, free_handle, linked_version, cuda_available};

}  // namespace

// The second exported symbol of libionkmc-torch.so (barriers/torch_module.h):
// barriers/torch_loader.c looks it up for ionkmc_mlff_backend_get().
extern "C" __attribute__((visibility("default"))) const ionkmc_mlff_backend *ionkmc_mlff_backend_module_v1(void) {
  return &BACKEND;
}
