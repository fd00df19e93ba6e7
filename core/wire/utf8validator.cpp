#include "utf8validator.h"
