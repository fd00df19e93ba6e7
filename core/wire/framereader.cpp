#include "framereader.h"
