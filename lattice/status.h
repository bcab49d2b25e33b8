/* SPDX-FileCopyrightText: 2026 The ionkmc authors
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/status.h" /* moved to base/; this path stays for existing includes */
