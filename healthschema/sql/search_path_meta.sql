SET search_path TO {schema}
