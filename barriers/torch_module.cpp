/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
// ionkmc barriers: TorchScript barrier models through libtorch (C API in
// barriers/torch_model.h). This is the only C++ file of the project. Every
// entry point catches every exception and turns it into an ionkmc_status with
// a one-line message; nothing here prints, exits or aborts.

// base/status.h is a plain C header: give its functions C linkage here.
extern "C" {
#include "base/status.h"
}
#include "barriers/torch_model.h"
#include "barriers/torch_module.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <jansson.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

struct ionkmc_torch_model {
  torch::jit::Module module;
  std::string path;
  std::string units;
  std::string description;
  int descriptor_version = 0;
  int descriptor_length = 0;
};

namespace {

// The first line of an exception text: c10::Error messages carry a
// multi-line backtrace that does not belong in a one-line report.
std::string first_line(const char *what) {
  std::string s = what ? what : "";
  const size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

std::string exception_text(const std::exception &e) {
  if (const auto *ce = dynamic_cast<const c10::Error *>(&e)) {
    return first_line(ce->what_without_backtrace());
  }
  return first_line(e.what());
}

ionkmc_status set_status(ionkmc_status *status, ionkmc_status st) {
  if (status) *status = st;
  return st;
}

// Parse and check the ionkmc.json metadata of a model (text from the archive).
ionkmc_status read_metadata(ionkmc_torch_model *m, const std::string &text, int want_version,
                            int want_length, ionkmc_error *err) {
  const char *path = m->path.c_str();
  if (text.empty()) {
    return ionkmc_error_set(err, IONKMC_EPARSE,
                            "torch model '%s': no '%s' metadata in the archive (export it with "
                            "torch.jit.save(..., _extra_files={'%s': ...}))",
                            path, IONKMC_TORCH_METADATA_NAME, IONKMC_TORCH_METADATA_NAME);
  }
  json_error_t jerr;
  json_t *root = json_loadb(text.data(), text.size(), 0, &jerr);
  if (!root) {
    return ionkmc_error_set(err, IONKMC_EPARSE, "torch model '%s': %s line %d: %s", path,
                            IONKMC_TORCH_METADATA_NAME, jerr.line, jerr.text);
  }
  ionkmc_status st = IONKMC_OK;
  const json_t *ver = json_object_get(root, "descriptor_version");
  const json_t *len = json_object_get(root, "descriptor_length");
  const json_t *units = json_object_get(root, "units");
  const json_t *desc = json_object_get(root, "description");
  const json_t *ueb = units ? json_object_get(units, "Eb") : nullptr;
  const json_t *unu = units ? json_object_get(units, "nu") : nullptr;
  if (!json_is_object(root) || !json_is_integer(ver) || !json_is_integer(len)) {
    st = ionkmc_error_set(err, IONKMC_EPARSE,
                          "torch model '%s': %s needs integer 'descriptor_version' and "
                          "'descriptor_length'",
                          path, IONKMC_TORCH_METADATA_NAME);
  } else if (!json_is_string(ueb) || !json_is_string(unu)) {
    st = ionkmc_error_set(err, IONKMC_EPARSE,
                          "torch model '%s': %s needs \"units\": {\"Eb\": \"eV\", \"nu\": \"1/s\"}",
                          path, IONKMC_TORCH_METADATA_NAME);
  } else if (desc && !json_is_string(desc)) {
    st = ionkmc_error_set(err, IONKMC_EPARSE, "torch model '%s': %s 'description' is not a string",
                          path, IONKMC_TORCH_METADATA_NAME);
  } else {
    const json_int_t v = json_integer_value(ver);
    const json_int_t n = json_integer_value(len);
    if (v != want_version) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "torch model '%s': descriptor version %lld, expected %d", path,
                            (long long)v, want_version);
    } else if (n != want_length) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "torch model '%s': descriptor length %lld, expected %d", path,
                            (long long)n, want_length);
    } else if (std::strcmp(json_string_value(ueb), "eV") != 0 ||
               std::strcmp(json_string_value(unu), "1/s") != 0) {
      st = ionkmc_error_set(err, IONKMC_EINVAL,
                            "torch model '%s': units Eb='%s' nu='%s', expected Eb='eV' nu='1/s'",
                            path, json_string_value(ueb), json_string_value(unu));
    } else {
      m->descriptor_version = (int)v;
      m->descriptor_length = (int)n;
      m->units = std::string("Eb=") + json_string_value(ueb) + " nu=" + json_string_value(unu);
      m->description = desc ? json_string_value(desc) : "";
    }
  }
  json_decref(root);
  return st;
}

} // namespace

extern "C" {

int ionkmc_torch_available(void) { return 1; }

ionkmc_torch_model *ionkmc_torch_model_alloc(const char *path, int descriptor_version,
                                             int descriptor_length, ionkmc_error *err,
                                             ionkmc_status *status) {
  if (!path || descriptor_version < 1 || descriptor_length < 1) {
    set_status(status, ionkmc_error_set(err, IONKMC_EINVAL,
                                        "torch model: bad arguments (path %s, descriptor "
                                        "version %d, length %d)",
                                        path ? "set" : "NULL", descriptor_version,
                                        descriptor_length));
    return nullptr;
  }
  // Tell a file that cannot be read (EIO) from one that is not TorchScript.
  std::FILE *f = std::fopen(path, "rb");
  if (!f) {
    set_status(status, ionkmc_error_set(err, IONKMC_EIO, "torch model '%s': %s", path,
                                        std::strerror(errno)));
    return nullptr;
  }
  const int c = std::fgetc(f);
  const bool readable = !std::ferror(f);
  std::fclose(f);
  if (!readable) {
    set_status(status, ionkmc_error_set(err, IONKMC_EIO, "torch model '%s': cannot read", path));
    return nullptr;
  }
  if (c == EOF) {
    set_status(status, ionkmc_error_set(err, IONKMC_EPARSE, "torch model '%s': empty file", path));
    return nullptr;
  }

  ionkmc_torch_model *m = nullptr;
  try {
    m = new ionkmc_torch_model();
    m->path = path;
    torch::jit::ExtraFilesMap extra{{IONKMC_TORCH_METADATA_NAME, ""}};
    try {
      m->module = torch::jit::load(m->path, torch::kCPU, extra);
    } catch (const std::bad_alloc &) {
      throw;
    } catch (const std::exception &e) {
      set_status(status, ionkmc_error_set(err, IONKMC_EPARSE,
                                          "torch model '%s': not a loadable TorchScript "
                                          "archive: %s",
                                          path, exception_text(e).c_str()));
      delete m;
      return nullptr;
    }
    m->module.eval();
    if (!m->module.find_method("forward")) {
      set_status(status, ionkmc_error_set(err, IONKMC_EPARSE,
                                          "torch model '%s': the module has no forward method",
                                          path));
      delete m;
      return nullptr;
    }
    const ionkmc_status st = read_metadata(m, extra[IONKMC_TORCH_METADATA_NAME],
                                           descriptor_version, descriptor_length, err);
    if (st != IONKMC_OK) {
      set_status(status, st);
      delete m;
      return nullptr;
    }
  } catch (const std::bad_alloc &) {
    delete m;
    set_status(status, ionkmc_error_set(err, IONKMC_ENOMEM, "torch model '%s': out of memory",
                                        path));
    return nullptr;
  } catch (const std::exception &e) {
    delete m;
    set_status(status, ionkmc_error_set(err, IONKMC_EINTERNAL, "torch model '%s': %s", path,
                                        exception_text(e).c_str()));
    return nullptr;
  } catch (...) {
    delete m;
    set_status(status, ionkmc_error_set(err, IONKMC_EINTERNAL,
                                        "torch model '%s': unknown exception", path));
    return nullptr;
  }
  set_status(status, IONKMC_OK);
  return m;
}

void ionkmc_torch_model_free(ionkmc_torch_model *m) {
  try {
    delete m;
  } catch (...) {
    // A destructor that throws has nowhere to report; the memory is gone.
  }
}

ionkmc_status ionkmc_torch_model_eval(ionkmc_torch_model *m, const double *x, int batch,
                                      double *Eb, double *nu, ionkmc_error *err) {
  if (!m || !x || !Eb || !nu || batch < 1) {
    return ionkmc_error_set(err, IONKMC_EINVAL,
                            "torch model eval: bad arguments (batch %d, a NULL pointer?)", batch);
  }
  const int D = m->descriptor_length;
  const char *path = m->path.c_str();
  for (int i = 0; i < batch; i++) {
    for (int j = 0; j < D; j++) {
      if (!std::isfinite(x[(size_t)i * D + j])) {
        return ionkmc_error_set(err, IONKMC_EINVAL,
                                "torch model '%s': descriptor row %d, element %d is not finite",
                                path, i, j);
      }
    }
  }
  try {
    c10::InferenceMode guard;
    // from_blob borrows the caller's array; the clone keeps a model that
    // writes to its input in place from touching the caller's data.
    torch::Tensor in = torch::from_blob(const_cast<double *>(x), {(int64_t)batch, (int64_t)D},
                                        torch::TensorOptions().dtype(torch::kFloat64))
                           .clone();
    std::vector<torch::jit::IValue> args;
    args.emplace_back(std::move(in));
    torch::jit::IValue res = m->module.forward(args);
    if (!res.isTensor()) {
      return ionkmc_error_set(err, IONKMC_EINTERNAL,
                              "torch model '%s': forward returned %s, expected a Tensor[%d, 2]",
                              path, res.tagKind().c_str(), batch);
    }
    torch::Tensor out = res.toTensor();
    if (out.dim() != 2 || out.size(0) != batch || out.size(1) != 2 ||
        !out.is_floating_point()) {
      std::string shape = "[";
      for (int64_t k = 0; k < out.dim(); k++) {
        shape += (k ? ", " : "") + std::to_string(out.size(k));
      }
      shape += "]";
      return ionkmc_error_set(err, IONKMC_EINTERNAL,
                              "torch model '%s': forward returned a tensor of shape %s and "
                              "type %s, expected floating [%d, 2]",
                              path, shape.c_str(), c10::toString(out.scalar_type()), batch);
    }
    out = out.to(torch::kCPU, torch::kFloat64).contiguous();
    const double *o = out.data_ptr<double>();
    // Check every row before writing anything: a NaN must never reach the
    // caller's rate arrays. The model object is not written to, so threads
    // may share one model (tests/test_torch_model.c runs concurrent calls).
    for (int i = 0; i < batch; i++) {
      const double eb = o[2 * (size_t)i];
      const double lg = o[2 * (size_t)i + 1];
      if (!std::isfinite(eb) || eb < 0.0) {
        return ionkmc_error_set(err, IONKMC_ERANGE,
                                "torch model '%s': batch row %d: barrier Eb = %g eV (must be "
                                "finite and >= 0)",
                                path, i, eb);
      }
      if (!std::isfinite(lg)) {
        return ionkmc_error_set(err, IONKMC_ERANGE,
                                "torch model '%s': batch row %d: log10(nu) = %g (must be finite)",
                                path, i, lg);
      }
      const double v = std::pow(10.0, lg);
      if (!std::isfinite(v) || !(v > 0.0)) {
        return ionkmc_error_set(err, IONKMC_ERANGE,
                                "torch model '%s': batch row %d: nu = 10^%g 1/s is not a "
                                "positive finite number",
                                path, i, lg);
      }
    }
    // pow is a pure function: the second pass gives the values just checked.
    for (int i = 0; i < batch; i++) {
      Eb[i] = o[2 * (size_t)i];
      nu[i] = std::pow(10.0, o[2 * (size_t)i + 1]);
    }
  } catch (const std::bad_alloc &) {
    return ionkmc_error_set(err, IONKMC_ENOMEM, "torch model '%s': out of memory", path);
  } catch (const std::exception &e) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "torch model '%s': forward failed: %s", path,
                            exception_text(e).c_str());
  } catch (...) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "torch model '%s': unknown exception", path);
  }
  return IONKMC_OK;
}

int ionkmc_torch_model_descriptor_version(const ionkmc_torch_model *m) {
  return m ? m->descriptor_version : 0;
}

int ionkmc_torch_model_descriptor_length(const ionkmc_torch_model *m) {
  return m ? m->descriptor_length : 0;
}

const char *ionkmc_torch_model_units(const ionkmc_torch_model *m) {
  return m ? m->units.c_str() : "";
}

const char *ionkmc_torch_model_description(const ionkmc_torch_model *m) {
  return m ? m->description.c_str() : "";
}

const char *ionkmc_torch_model_path(const ionkmc_torch_model *m) {
  return m ? m->path.c_str() : "";
}

ionkmc_status ionkmc_torch_set_num_threads(int n, ionkmc_error *err) {
  if (n < 1) {
    return ionkmc_error_set(err, IONKMC_EINVAL, "torch threads: %d, must be >= 1", n);
  }
  try {
    at::set_num_threads(n);
  } catch (const std::exception &e) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "torch threads: %s",
                            exception_text(e).c_str());
  } catch (...) {
    return ionkmc_error_set(err, IONKMC_EINTERNAL, "torch threads: unknown exception");
  }
  return IONKMC_OK;
}

int ionkmc_torch_get_num_threads(void) {
  try {
    return at::get_num_threads();
  } catch (...) {
    return 0;
  }
}

} // extern "C"

// The one exported symbol of libionkmc-torch.so (barriers/torch_module.h).
extern "C" __attribute__((visibility("default"))) const ionkmc_torch_module_table *
ionkmc_torch_module_v1(void) {
  static const ionkmc_torch_module_table table = {
      IONKMC_TORCH_MODULE_ABI,
      sizeof(ionkmc_torch_module_table),
      ionkmc_torch_model_alloc,
      ionkmc_torch_model_free,
      ionkmc_torch_model_eval,
      ionkmc_torch_model_descriptor_version,
      ionkmc_torch_model_descriptor_length,
      ionkmc_torch_model_units,
      ionkmc_torch_model_description,
      ionkmc_torch_model_path,
      ionkmc_torch_set_num_threads,
      ionkmc_torch_get_num_threads,
  };
  return &table;
}
